"""A run whose learning rate cannot converge: pause it while its numbers still mean something."""

from __future__ import annotations

from PySide6.QtCore import QObject

from gd_viewer.core.analysis import Analysis
from gd_viewer.core.descent import Run

#: Such a run pauses once its cost has grown this many times over the first epoch's
#: (long before float64 overflows).
RUNAWAY_FACTOR = 1000.0


class RunawayGuard(QObject):
    """Tells, once per run, when plain gradient descent with too large an lr has run away.

    The core stops a run only when float64 would overflow (a cost of 1e300): the
    tutorial's program would go on printing such costs. A student is better served
    by a pause, and a reason, while the numbers still mean something. Playing on
    after the pause is allowed: the guard does not stop the same run twice.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._paused: Run | None = None
        self._note = ""

    def forget(self) -> None:
        """A new run: it may be paused again."""
        self._paused = None
        self._note = ""

    def note(self, run: Run | None) -> str:
        """Why ``run`` was paused ("" if it was not)."""
        return self._note if run is not None and run is self._paused else ""

    def check(self, run: Run, analysis: Analysis | None, lr: float, epoch: int) -> bool:
        """True the first time ``run``, shown at ``epoch``, has run away."""
        if analysis is None or run is self._paused or epoch < 1 or analysis.converges(lr):
            return False
        cost = run.history.cost
        first, now = float(cost[0]), float(cost[epoch])
        if not (now > RUNAWAY_FACTOR * first and now > 0.0):
            return False
        self._paused = run
        self._note = self.tr(
            "Paused: the cost has grown over {factor:,.0f}-fold since epoch 0. "
            "lr = {lr:g} is at or above 2/curvature = {limit:.4g} for these points, so each "
            "step overshoots the minimum by more than it gains."
        ).format(factor=RUNAWAY_FACTOR, lr=lr, limit=analysis.stable_limit)
        return True
