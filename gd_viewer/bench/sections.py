"""The three sections of the benchmark: measure, then print a table each."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from gd_viewer.bench.measure import (
    Timing,
    _n_label,
    _rate,
    _ratio,
    learning_rate,
    make_data,
    numpy_epochs,
    numpy_minibatch_epoch,
    print_table,
    time_it,
    tutorial_epochs,
)
from gd_viewer.core.data import Dataset
from gd_viewer.core.descent import EXACT_MAX_POINTS, Run, Status
from gd_viewer.core.settings import RunSettings
from gd_viewer.core.streaming import origin_fit

FloatArray = NDArray[np.float64]

# --------------------------------------------------------------------------- section 1


@dataclass
class FullBatchRow:
    """Epochs per second of the three implementations at one N (None: skipped)."""

    n: int
    python: float | None
    numpy: float
    gd_viewer: float
    path: str


def _gd_viewer_rate(data: Dataset, lr: float, epochs: int, min_time: float) -> float:
    """Epochs per second of ``Run.run_to_end``, the Run built (untimed) before each repeat."""
    settings = RunSettings(lr=lr, epochs=epochs)
    runs: list[Run] = []

    def build() -> Run:
        run = Run(data, settings)
        runs.append(run)
        return run

    timing = time_it(lambda run: run.run_to_end(), setup=build, min_time=min_time)
    bad = [run.status for run in runs if run.status is not Status.FINISHED]
    if bad:
        raise RuntimeError(f"gd-viewer run at N={data.size} ended {bad[0].value}: {runs[0].reason}")
    runs.clear()
    return epochs / timing.best


def _full_batch_row(n: int, quick: bool, min_time: float) -> FullBatchRow:
    """The three implementations at one N (fresh data, freed on return)."""
    data = Dataset(*make_data(n))
    x, y = data.x, data.y
    lr = learning_rate(x)

    # Pure Python: the lists are built outside the timing; too slow beyond 1e6.
    python_rate: float | None = None
    if n <= 1_000_000:
        python_epochs = max(1, min(20_000, 100_000 // n))
        xs, ys = x.tolist(), y.tolist()
        slow = n >= 1_000_000  # ~1 s per epoch: a couple of single epochs
        timing = time_it(
            lambda: tutorial_epochs(xs, ys, 1.0, lr, python_epochs),
            min_time=min_time,
            min_repeats=2 if slow else 3,
            max_repeats=2 if slow else 10_000,
        )
        python_rate = python_epochs / timing.best
        del xs, ys

    numpy_calls = max(1, min(20_000, 1_000_000 // n))
    if quick:
        numpy_calls = max(1, numpy_calls // 10)
    timing = time_it(lambda: numpy_epochs(x, y, 1.0, lr, numpy_calls), min_time=min_time)
    numpy_rate = numpy_calls / timing.best

    exact = n <= EXACT_MAX_POINTS
    run_epochs = 20_000 if exact else 200_000
    if quick:
        run_epochs //= 10
    gd_rate = _gd_viewer_rate(data, lr, run_epochs, min_time)
    return FullBatchRow(n, python_rate, numpy_rate, gd_rate, "per-point" if exact else "O(1)")


def bench_full_batch(sizes: Sequence[int], quick: bool, min_time: float) -> list[FullBatchRow]:
    """Section 1: full-batch GD epochs per second, three implementations side by side."""
    return [_full_batch_row(n, quick, min_time) for n in sizes]


def print_full_batch(rows: Sequence[FullBatchRow]) -> None:
    """The table of section 1."""
    print_table(
        ["N", "gd-viewer path", "pure Python", "numpy", "gd-viewer", "gd/Python", "gd/numpy"],
        [
            [
                _n_label(r.n),
                r.path,
                _rate(r.python),
                _rate(r.numpy),
                _rate(r.gd_viewer),
                _ratio(r.gd_viewer, r.python),
                _ratio(r.gd_viewer, r.numpy),
            ]
            for r in rows
        ],
    )


# --------------------------------------------------------------------------- section 2

#: Turns of (run, dot) at least, however short they are.
ONE_PASS_MIN_TURNS = 20
ONE_PASS_HEADERS = ("data", "N", "least cost from", "Run()", "total", "np.dot(x,y)", "total/dot")


@dataclass
class OnePassRow:
    """A whole short run (construction included) against one ``np.dot`` over the data."""

    label: str
    n: int
    construct: float
    advance: float
    total: float
    dot: float
    method: str
    passes: int

    @property
    def ratio(self) -> float:
        return self.total / self.dot


def _one_pass_row(label: str, data: Dataset, epochs: int, min_time: float) -> OnePassRow:
    """Time ``Run(data) + run_to_end()`` as a whole and in parts, and ``np.dot(x, y)``.

    The two are timed in turns (run, dot, run, dot, …) so that a machine whose
    speed drifts, as shared ones do, slows both alike; the bests are compared.
    """
    x, y = data.x, data.y
    settings = RunSettings(lr=learning_rate(x), epochs=epochs)
    runs: list[Run] = []
    phases: list[tuple[float, float]] = []
    run_times: list[float] = []
    dot_times: list[float] = []

    def whole_run() -> None:
        start = time.perf_counter()
        run = Run(data, settings)
        built = time.perf_counter()
        run.run_to_end()
        phases.append((built - start, time.perf_counter() - built))
        runs.append(run)

    while len(run_times) < ONE_PASS_MIN_TURNS or sum(run_times) + sum(dot_times) < min_time:
        run_times.append(time_it(whole_run, min_time=0.0, min_repeats=1).best)
        dot_times.append(time_it(lambda: np.dot(x, y), min_time=0.0, min_repeats=1).best)
    best = min(run_times)
    construct, advance = phases[run_times.index(best)]  # the split of the best repeat
    bad = [run for run in runs if run.status is not Status.FINISHED]
    if bad:
        raise RuntimeError(f"the {label} run ended {bad[0].status.value}: {bad[0].reason}")
    fit = origin_fit(data.xy)
    return OnePassRow(
        label, data.size, construct, advance, best, min(dot_times), fit.method, fit.passes
    )


def bench_one_pass(n: int, epochs: int, min_time: float) -> list[OnePassRow]:
    """Section 2: ``Run(...)`` + ``run_to_end()`` vs ``np.dot(data.x, data.y)``, two datasets.

    Noisy data take the sums Σx², Σxy, Σy²; a perfect fit the residuals about a
    pilot slope (which keeps its least cost at zero): one pass each.
    """
    rows = [_one_pass_row("noisy y = 2x + N(0,1)", Dataset(*make_data(n)), epochs, min_time)]
    perfect = Dataset(*make_data(n, perfect=True, slope=2.5))
    rows.append(_one_pass_row("perfect y = 2.5x", perfect, epochs, min_time))
    return rows


def print_one_pass(rows: Sequence[OnePassRow], epochs: int) -> None:
    """The table of section 2."""
    print_table(
        [*ONE_PASS_HEADERS[:4], f"{epochs} epochs", *ONE_PASS_HEADERS[4:]],
        [
            [
                r.label,
                _n_label(r.n),
                f"{r.method} ({r.passes} pass{'es' if r.passes > 1 else ''})",
                f"{r.construct * 1e3:.2f} ms",
                f"{r.advance * 1e3:.2f} ms",
                f"{r.total * 1e3:.2f} ms",
                f"{r.dot * 1e3:.2f} ms",
                f"{r.ratio:.2f}×",
            ]
            for r in rows
        ],
    )


# --------------------------------------------------------------------------- section 3


@dataclass
class MinibatchRow:
    """Seconds per shuffled mini-batch epoch, gd-viewer and straightforward numpy."""

    model: str
    n: int
    batch_size: int
    gd_viewer: Timing
    numpy: Timing

    @property
    def ratio(self) -> float:
        return self.numpy.best / self.gd_viewer.best


def _minibatch_row(
    data: Dataset, model: str, batch_size: int, epochs: int, min_time: float
) -> MinibatchRow:
    """ms per epoch of one model: gd-viewer's ``advance(1)``, then the numpy loop."""
    x, y = data.x, data.y
    # For the line the curvature is that of [x, 1]; with x ~ N(0, 1) both of its
    # eigenvalues are near 2, so the origin model's rate is safe for it too.
    lr = learning_rate(x)
    settings = RunSettings(
        model=model, optimizer="minibatch", batch_size=batch_size, shuffle=True,
        seed=0, lr=lr, epochs=epochs,
    )  # fmt: skip
    run = Run(data, settings)

    def one_epoch() -> None:
        if run.advance(1) != 1:
            raise RuntimeError(f"mini-batch run stopped: {run.status.value} {run.reason}")

    # Epochs take ~0.1 s and vary with the shuffle's cache misses: at least five each.
    gd = time_it(one_epoch, min_time=min_time, min_repeats=5, max_repeats=epochs)
    params = [1.0] if model == "origin" else [1.0, 0.0]
    rng = np.random.default_rng(0)
    line = model == "line"
    plain = time_it(
        lambda: numpy_minibatch_epoch(x, y, params, lr, batch_size, rng, line),
        min_time=min_time,
        min_repeats=5,
        max_repeats=epochs,
    )
    return MinibatchRow(model, data.size, batch_size, gd, plain)


def bench_minibatch(
    n: int, batch_size: int, models: Sequence[str], epochs: int, min_time: float
) -> list[MinibatchRow]:
    """Section 3: ms per epoch of shuffled mini-batch SGD, per model."""
    data = Dataset(*make_data(n))
    return [_minibatch_row(data, model, batch_size, epochs, min_time) for model in models]


def print_minibatch(rows: Sequence[MinibatchRow]) -> None:
    """The table of section 3."""
    print_table(
        [
            "model",
            "N",
            "batch",
            "epochs timed",
            "numpy ms/epoch",
            "(median)",
            "gd-viewer ms/epoch",
            "(median)",
            "numpy/gd",
        ],
        [
            [
                r.model,
                _n_label(r.n),
                str(r.batch_size),
                f"{r.numpy.repeats} + {r.gd_viewer.repeats}",
                f"{r.numpy.best * 1e3:.1f}",
                f"{r.numpy.median * 1e3:.1f}",
                f"{r.gd_viewer.best * 1e3:.1f}",
                f"{r.gd_viewer.median * 1e3:.1f}",
                f"{r.ratio:.2f}×",
            ]
            for r in rows
        ],
    )
