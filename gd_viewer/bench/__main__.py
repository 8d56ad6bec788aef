"""``python -m gd_viewer.bench``: run the sections and print the targets."""

from __future__ import annotations

import argparse
import time
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from gd_viewer.bench.measure import (
    LR_FRACTION,
    SEED,
    SLOPE,
    TARGET_FULL_BATCH_N,
    TARGET_FULL_BATCH_RATIO,
    TARGET_MINIBATCH_BATCH,
    TARGET_MINIBATCH_N,
    TARGET_MINIBATCH_RATIO,
    TARGET_ONE_PASS_EPOCHS,
    TARGET_ONE_PASS_N,
    TARGET_ONE_PASS_RATIO,
    _n_label,
    print_environment,
)
from gd_viewer.bench.sections import (
    bench_full_batch,
    bench_minibatch,
    bench_one_pass,
    print_full_batch,
    print_minibatch,
    print_one_pass,
)

FloatArray = NDArray[np.float64]

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
        "   total: best of ≥ 20 repeats of Run(data, settings) + run_to_end(), timed in turns "
        "with np.dot(x, y) (best of as many);\n   Run() and epochs: the split of that best repeat"
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
