"""Engine benchmark: how fast gd-viewer's core runs gradient descent, against plain code.

Run it from the repository root (it is not part of the test suite)::

    python -m gd_viewer.bench            # full run: 0.5 to 1.5 minutes, ~0.5 GB of memory
    python -m gd_viewer.bench --quick    # smoke run: N up to 1e5, a few seconds

Three sections, each printed as a table, then a ``targets`` block:

1. Full-batch GD, epochs per second, at N = 3 … 1e7 points: the tutorial's
   pure-Python loop, a straightforward numpy loop, and gd-viewer's :class:`Run`
   (per-point arithmetic up to ``EXACT_MAX_POINTS``, the O(1) quadratic form above).
2. A whole 100-epoch run at N = 1e7, construction included (the pass over the data
   that takes the sums), against one ``np.dot(x, y)`` over the same arrays.
3. Mini-batch SGD (batch 256, shuffled) at N = 1e6, milliseconds per epoch.

Every figure is the *best* of several repeats (the one least disturbed by other
work on the machine; section 3 also shows the median); a case repeats until its
timed total reaches ``--min-time`` seconds (0.3 by default) and at least three
times (the pure-Python loop at 1e6: two single epochs). Everything runs on one
core. Only numpy and the standard library are used (no Qt).
"""

from __future__ import annotations

import os
import sys

# Pin every BLAS / OpenMP pool to one thread. The pools read these variables once,
# when numpy loads its BLAS library at import, so they must be set before the first
# ``import numpy`` (here or in gd_viewer.core); set later they do nothing. Without
# them ``np.dot`` over 1e7 points may run on every core while the Python loops and
# the numpy element-wise ops use one, so the ratios would measure the machine's core
# count rather than the code, and change from one machine to the next.
_NUMPY_ALREADY_LOADED = "numpy" in sys.modules
_THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
for _variable in _THREAD_VARIABLES:
    os.environ[_variable] = "1"

import argparse  # noqa: E402
import gc  # noqa: E402
import platform  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable, Sequence  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from typing import Any  # noqa: E402

import numpy as np  # noqa: E402
from numpy.typing import NDArray  # noqa: E402

from gd_viewer.core.data import Dataset  # noqa: E402
from gd_viewer.core.descent import EXACT_MAX_POINTS, Run, Status  # noqa: E402
from gd_viewer.core.settings import RunSettings  # noqa: E402

FloatArray = NDArray[np.float64]
#: w in the numpy loops: ``np.mean`` returns np.float64, so w becomes one after one update.
Scalar = float | np.floating[Any]

#: Seed of the generated data (the same points on every run).
SEED = 20240531
#: True slope of the generated data.
SLOPE = 2.0
#: Learning rate as a fraction of 1 / mean(x²); the stable limit is 1.0 (lr < 2 / (2·mean x²)).
LR_FRACTION = 0.1

#: The target figures of the ``targets`` block.
TARGET_FULL_BATCH_N = 1_000_000
TARGET_FULL_BATCH_RATIO = 300.0
TARGET_ONE_PASS_N = 10_000_000
TARGET_ONE_PASS_EPOCHS = 100
TARGET_ONE_PASS_RATIO = 3.0
TARGET_MINIBATCH_N = 1_000_000
TARGET_MINIBATCH_BATCH = 256
TARGET_MINIBATCH_RATIO = 2.0


# --------------------------------------------------------------------------- timing


@dataclass(frozen=True)
class Timing:
    """Seconds per call of a timed function: every call, the best and the median."""

    times: tuple[float, ...]

    @property
    def best(self) -> float:
        return min(self.times)

    @property
    def median(self) -> float:
        return statistics.median(self.times)

    @property
    def repeats(self) -> int:
        return len(self.times)


def time_it(
    fn: Callable[..., object],
    *,
    setup: Callable[[], object] | None = None,
    min_time: float = 0.3,
    min_repeats: int = 3,
    max_repeats: int = 10_000,
) -> Timing:
    """Call ``fn`` repeatedly and time each call with ``time.perf_counter``.

    Repeats until the timed calls add up to ``min_time`` seconds and there were at
    least ``min_repeats`` of them, but never more than ``max_repeats``. When
    ``setup`` is given it runs before each call, untimed, and its result is passed
    to ``fn`` (to build a fresh object whose construction must not be counted).
    The garbage collector is paused during each timed call, as :mod:`timeit` does.
    """
    times: list[float] = []
    total = 0.0
    gc.collect()
    while len(times) < max_repeats and (len(times) < min_repeats or total < min_time):
        argument = setup() if setup is not None else None
        gc.disable()
        try:
            start = time.perf_counter()
            if setup is not None:
                fn(argument)
            else:
                fn()
            elapsed = time.perf_counter() - start
        finally:
            gc.enable()
        times.append(elapsed)
        total += elapsed
    return Timing(tuple(times))


# --------------------------------------------------------------------------- data


def make_data(
    n: int, *, perfect: bool = False, slope: float = SLOPE
) -> tuple[FloatArray, FloatArray]:
    """``n`` points, x ~ N(0, 1) and y = slope·x + N(0, 1) (or exactly ``slope·x``)."""
    rng = np.random.default_rng(SEED)
    x = rng.standard_normal(n)
    y = slope * x if perfect else slope * x + rng.standard_normal(n)
    return x, y


def learning_rate(x: FloatArray) -> float:
    """A safe rate for the origin model: ``LR_FRACTION`` of the stable limit 1 / mean(x²)."""
    return LR_FRACTION / float(np.dot(x, x) / x.size)


# --------------------------------------------------------------------------- the three loops


def tutorial_epochs(xs: list[float], ys: list[float], w: float, lr: float, epochs: int) -> float:
    """The tutorial's training loop over Python lists; returns the final w.

    ``forward``, ``cost`` and ``gradient`` are the tutorial's, term for term (its
    global ``w`` becomes a closure variable). As in the tutorial, every epoch
    computes the cost (for its printout) and the gradient: two passes.
    """

    def forward(x: float) -> float:
        return x * w

    def cost(xs: list[float], ys: list[float]) -> float:
        loss_sum: float = 0
        for x, y in zip(xs, ys, strict=True):
            y_pred = forward(x)
            loss_sum += (y_pred - y) ** 2
        return loss_sum / len(xs)

    def gradient(xs: list[float], ys: list[float]) -> float:
        grad: float = 0
        for x, y in zip(xs, ys, strict=True):
            grad += 2 * x * (x * w - y)
        return grad / len(xs)

    for _epoch in range(epochs):
        cost_val = cost(xs, ys)  # noqa: F841 - computed as the tutorial does, for its printout
        grad_val = gradient(xs, ys)
        w -= lr * grad_val
    return w


def numpy_epochs(x: FloatArray, y: FloatArray, w: Scalar, lr: float, epochs: int) -> float:
    """Straightforward numpy full-batch GD (cost and gradient each epoch); the final w."""
    for _epoch in range(epochs):
        pred = x * w
        c = np.mean((pred - y) ** 2)  # noqa: F841 - the cost, as a training loop computes it
        g = np.mean(2 * x * (pred - y))
        w -= lr * g
    return float(w)


def numpy_minibatch_epoch(
    x: FloatArray,
    y: FloatArray,
    params: list[float],
    lr: float,
    batch_size: int,
    rng: np.random.Generator,
    line: bool,
) -> None:
    """One shuffled mini-batch epoch in straightforward numpy; updates ``params`` in place."""
    n = x.size
    perm = rng.permutation(n)
    w: Scalar = params[0]
    if not line:
        for i in range(0, n, batch_size):
            idx = perm[i : i + batch_size]
            xb = x[idx]
            yb = y[idx]
            pred = xb * w
            g = np.mean(2 * xb * (pred - yb))
            w -= lr * g
        params[0] = float(w)
        return
    b: Scalar = params[1]
    for i in range(0, n, batch_size):
        idx = perm[i : i + batch_size]
        xb = x[idx]
        yb = y[idx]
        r = xb * w + b - yb
        gw = np.mean(2 * xb * r)
        gb = np.mean(2 * r)
        w -= lr * gw
        b -= lr * gb
    params[0], params[1] = float(w), float(b)


# --------------------------------------------------------------------------- formatting


def _n_label(n: int) -> str:
    """``1e6`` for round powers of ten from 1000 up, the plain number otherwise."""
    short = f"{n:.0e}"
    if n >= 1000 and float(short) == n:
        return short.replace("e+0", "e").replace("e+", "e")
    return str(n)


def _rate(value: float | None) -> str:
    if value is None:
        return "skipped"
    return f"{value:,.0f}" if value >= 100 else f"{value:#.3g}"


def _ratio(a: float | None, b: float | None) -> str:
    if a is None or b is None or b == 0.0:
        return "—"
    ratio = a / b
    return f"{ratio:,.0f}×" if ratio >= 100 else f"{ratio:.2f}×"


def print_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    """Right-aligned columns (the first left-aligned), with a rule under the header."""
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]

    def line(cells: Sequence[str]) -> str:
        first = cells[0].ljust(widths[0])
        rest = (c.rjust(w) for c, w in zip(cells[1:], widths[1:], strict=True))
        return "  ".join([first, *rest]).rstrip()

    print(line(headers))
    print("  ".join("-" * w for w in widths))
    for row in rows:
        print(line(row))


def print_environment() -> None:
    """Python, numpy, BLAS and CPU facts that the figures depend on."""
    print(
        f"Python   {platform.python_version()} ({platform.python_implementation()}), "
        f"{platform.machine()}, {platform.system()}"
    )
    print(f"numpy    {np.__version__}")
    print(f"BLAS     {blas_description()}")
    affinity = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
    cpus = f"{os.cpu_count()} logical CPUs"
    if affinity is not None:
        cpus += f" ({affinity} usable by this process)"
    threads = ", ".join(f"{v}={os.environ[v]}" for v in _THREAD_VARIABLES)
    print(f"CPUs     {cpus}; run on one thread: {threads}")
    if _NUMPY_ALREADY_LOADED:
        print("WARNING  numpy was imported before gd_viewer.bench: the thread settings came")
        print("         too late and BLAS may use several threads; run python -m gd_viewer.bench")
    print(f"         gd-viewer per-point path for N ≤ {EXACT_MAX_POINTS}, O(1) quadratic above")


def blas_description() -> str:
    """The BLAS numpy was built with (and its live thread count, if threadpoolctl is there)."""
    text = "unknown"
    try:
        config: Any = np.show_config(mode="dicts")
        blas = config["Build Dependencies"]["blas"]
        text = f"{blas.get('name', '?')} {blas.get('version', '')}".strip()
        detail = blas.get("openblas configuration")
        if detail:
            text += f" [{' '.join(str(detail).split())}]"
    except Exception:  # older numpy: no dict form; the figure is optional
        pass
    try:
        import threadpoolctl  # type: ignore[import-not-found]
    except ImportError:
        return text + " (threadpoolctl not installed: live thread count not checked)"
    pools = threadpoolctl.threadpool_info()
    live = ", ".join(f"{p.get('internal_api')} {p.get('num_threads')} thread(s)" for p in pools)
    return f"{text}; live pools: {live or 'none'}"


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


@dataclass
class OnePassRow:
    """A whole short run (construction included) against one ``np.dot`` over the data."""

    label: str
    n: int
    construct: float
    advance: float
    total: float
    dot: float
    second_pass: bool

    @property
    def ratio(self) -> float:
        return self.total / self.dot


def _one_pass_row(label: str, data: Dataset, epochs: int, min_time: float) -> OnePassRow:
    """Time ``Run(data) + run_to_end()`` as a whole and in parts, and ``np.dot(x, y)``."""
    x, y = data.x, data.y
    settings = RunSettings(lr=learning_rate(x), epochs=epochs)
    runs: list[Run] = []
    phases: list[tuple[float, float]] = []

    def whole_run() -> None:
        start = time.perf_counter()
        run = Run(data, settings)
        built = time.perf_counter()
        run.run_to_end()
        phases.append((built - start, time.perf_counter() - built))
        runs.append(run)

    total = time_it(whole_run, min_time=min_time)
    construct, advance = phases[total.times.index(total.best)]  # the split of the best repeat
    dot = time_it(lambda: np.dot(x, y), min_time=min_time)
    bad = [run for run in runs if run.status is not Status.FINISHED]
    if bad:
        raise RuntimeError(f"the {label} run ended {bad[0].status.value}: {bad[0].reason}")
    return OnePassRow(label, data.size, construct, advance, total.best, dot.best, True)


def bench_one_pass(n: int, epochs: int, min_time: float) -> list[OnePassRow]:
    """Section 2: ``Run(...)`` + ``run_to_end()`` vs ``np.dot(data.x, data.y)``, two datasets.

    Both take the same two passes: one matrix-vector product for Σx² and Σxy,
    then the least cost from the residuals (which keeps a perfect fit at zero).
    """
    rows = [_one_pass_row("noisy y = 2x + N(0,1)", Dataset(*make_data(n)), epochs, min_time)]
    perfect = Dataset(*make_data(n, perfect=True, slope=2.5))
    rows.append(_one_pass_row("perfect y = 2.5x", perfect, epochs, min_time))
    return rows


def print_one_pass(rows: Sequence[OnePassRow], epochs: int) -> None:
    """The table of section 2."""
    print_table(
        ["data", "N", "passes", "Run()", f"{epochs} epochs", "total", "np.dot(x,y)", "total/dot"],
        [
            [
                r.label,
                _n_label(r.n),
                "2 (least cost)" if r.second_pass else "1",
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


# --------------------------------------------------------------------------- main


def _verdict(ok: bool | None) -> str:
    return "n/a " if ok is None else ("PASS" if ok else "MISS")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the three sections, print their tables and the targets; returns 0.

    A missed target is reported (MISS), not an error: the exit status is 0
    whenever the benchmark ran to the end.
    """
    parser = argparse.ArgumentParser(
        prog="python -m gd_viewer.bench",
        description="Time gd-viewer's engine against the tutorial's loop and plain numpy.",
    )
    parser.add_argument(
        "--quick", action="store_true",
        help="smoke run: N up to 1e5, few epochs, short timings (targets not judged)",
    )  # fmt: skip
    parser.add_argument(
        "--min-time", type=float, default=None, metavar="SECONDS",
        help="timed total per case before it stops repeating (default 0.3, --quick 0.05)",
    )  # fmt: skip
    args = parser.parse_args(argv)
    quick: bool = args.quick
    min_time: float = args.min_time if args.min_time is not None else (0.05 if quick else 0.3)

    if quick:
        full_sizes = [3, 1_000, 100_000]
        one_pass_n, minibatch_n, minibatch_epochs = 100_000, 100_000, 5
    else:
        full_sizes = [3, 1_000, 100_000, 1_000_000, 10_000_000]
        one_pass_n, minibatch_n, minibatch_epochs = TARGET_ONE_PASS_N, TARGET_MINIBATCH_N, 30
    started = time.perf_counter()

    print(
        "gd-viewer engine benchmark"
        + (" (--quick: small sizes, targets not judged)" if quick else "")
    )
    print_environment()
    print(
        f"timing   best of repeats (time.perf_counter, GC paused); each case repeated until "
        f"≥ {min_time:g} s in total and ≥ 3 times\n"
        "         (section 3: ≥ 5 epochs; the pure-Python loop at 1e6: 2 single epochs)"
    )
    print(
        f"data     x ~ N(0,1), y = {SLOPE:g}x + N(0,1), seed {SEED}; "
        f"lr = {LR_FRACTION:g} / mean(x²) (stable limit: 1 / mean(x²)); w0 = 1"
    )
    print()

    print("1. Full-batch GD, epochs per second (origin model y = w·x; higher is better)")
    full = bench_full_batch(full_sizes, quick, min_time)
    print_full_batch(full)
    print(
        "   pure Python: the tutorial's cost() + gradient() over lists; "
        "skipped at N ≥ 1e7 (1e6: best of 2 single epochs)"
    )
    print()

    print(
        f"2. One short run vs one pass over the data: {TARGET_ONE_PASS_EPOCHS} epochs of "
        "full-batch GD, Run() construction included, Dataset creation excluded"
    )
    one_pass = bench_one_pass(one_pass_n, TARGET_ONE_PASS_EPOCHS, min_time)
    print_one_pass(one_pass, TARGET_ONE_PASS_EPOCHS)
    print(
        "   total: best of repeats of Run(data, settings) + run_to_end(); "
        "Run() and epochs: the split of that best repeat"
    )
    print()

    print(
        f"3. Mini-batch SGD, batch {TARGET_MINIBATCH_BATCH}, shuffled each epoch: "
        "ms per epoch (lower is better)"
    )
    minibatch = bench_minibatch(
        minibatch_n, TARGET_MINIBATCH_BATCH, ("origin", "line"), minibatch_epochs, min_time
    )
    print_minibatch(minibatch)
    print(
        "   ms/epoch: best (and median) of the epochs timed; numpy/gd from the bests.\n"
        "   gd-viewer: Run.advance(1) on one Run built beforehand (every update recorded "
        "in its History);\n   numpy: rng.permutation(N), then x[idx], y[idx] per batch"
    )
    print()

    print("targets")
    at_target = {r.n: r for r in full}
    row = at_target.get(TARGET_FULL_BATCH_N)
    full_ratio = row.gd_viewer / row.numpy if row is not None else None
    judged = not quick
    checks: list[tuple[str, str, bool | None]] = [
        (
            f"full-batch GD at N = {_n_label(TARGET_FULL_BATCH_N)}: "
            f"gd-viewer ≥ {TARGET_FULL_BATCH_RATIO:g}× numpy",
            f"{full_ratio:,.0f}×" if full_ratio is not None else "not measured",
            (full_ratio >= TARGET_FULL_BATCH_RATIO) if full_ratio is not None else None,
        )
    ]
    for r in one_pass:
        checks.append((
            f"{TARGET_ONE_PASS_EPOCHS}-epoch run at N = {_n_label(r.n)} ({r.label.split()[0]}): "
            f"≤ {TARGET_ONE_PASS_RATIO:g}× np.dot",
            f"{r.ratio:.2f}×",
            (r.ratio <= TARGET_ONE_PASS_RATIO) if judged else None,
        ))  # fmt: skip
    origin = next(r for r in minibatch if r.model == "origin")
    checks.append((
        f"mini-batch {TARGET_MINIBATCH_BATCH} at N = {_n_label(origin.n)} (origin): "
        f"gd-viewer ≥ {TARGET_MINIBATCH_RATIO:g}× numpy",
        f"{origin.ratio:.2f}×",
        (origin.ratio >= TARGET_MINIBATCH_RATIO) if judged else None,
    ))  # fmt: skip
    width = max(len(c[0]) for c in checks)
    for description, figure, ok in checks:
        print(f"  {_verdict(ok)}  {description.ljust(width)}  {figure}")
    print()
    print(f"total benchmark time {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
