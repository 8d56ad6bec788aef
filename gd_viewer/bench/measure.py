"""Timing, the generated data, the plain loops gd-viewer is compared with, and table output."""

from __future__ import annotations

import gc
import os
import platform
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from gd_viewer.bench import _NUMPY_ALREADY_LOADED, _THREAD_VARIABLES
from gd_viewer.core.descent import EXACT_MAX_POINTS

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
