"""Time the landscape pane's redraw for a change of data: ``python -m gd_viewer.bench_landscape``.

The issue "Two parameters" asks that with a 200×200 grid and a million points a new
data set is drawn within 100 ms. Timed here, offscreen: the quadratic from the data
(one pass over the points, in the core), then ``set_quadratic`` and a paint of the
pane (which samples the cost over the view, draws the contours and paints).
"""

from __future__ import annotations

import os
import statistics
import sys
import time

import numpy as np

#: Points in the data set and repetitions of each timing.
POINTS = 1_000_000
REPEATS = 10
#: The pane's size on screen, in pixels.
SIZE = (600, 400)


def bench(points: int = POINTS, repeats: int = REPEATS) -> dict[str, float]:
    """Median milliseconds of each stage over ``repeats`` changes of data of ``points`` points."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from gd_viewer.core.quadratic import LineQuadratic
    from gd_viewer.gui.panes.landscape import LandscapePane

    app = QApplication.instance() or QApplication(sys.argv[:1])
    pane = LandscapePane()
    pane.resize(*SIZE)
    pane.show()
    rng = np.random.default_rng(0)
    x = rng.uniform(0.0, 4.0, points)
    first = LineQuadratic.from_data(np.vstack((x, 2.0 * x + 1.0 + rng.normal(0.0, 0.5, points))))
    pane.set_quadratic(first)
    pane.fit_view([(0.0, 0.0)])
    pane.grab()
    app.processEvents()
    core, redraw = [], []
    for k in range(repeats):
        xy = np.vstack((x, (2.0 + 0.01 * k) * x + 1.0 + rng.normal(0.0, 0.5, points)))
        start = time.perf_counter()
        quadratic = LineQuadratic.from_data(xy)
        middle = time.perf_counter()
        pane.set_quadratic(quadratic)
        pane.grab()  # a paint: samples the cost over the view, then draws everything
        end = time.perf_counter()
        core.append(1e3 * (middle - start))
        redraw.append(1e3 * (end - middle))
    pane.close()
    total = [a + b for a, b in zip(core, redraw, strict=True)]
    return {
        "quadratic from the data": statistics.median(core),
        "set_quadratic + paint": statistics.median(redraw),
        "total": statistics.median(total),
    }


def main() -> None:
    """Print the timings."""
    figures = bench()
    print(f"landscape, {POINTS:,} points, 200×200 grid, {SIZE[0]}×{SIZE[1]} px (median ms):")
    for name, ms in figures.items():
        print(f"  {name:<26} {ms:7.1f} ms")


if __name__ == "__main__":
    main()
