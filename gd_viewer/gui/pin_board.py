"""Pinned runs: kept from earlier runs, drawn under the live one and listed beside it."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QColor

from gd_viewer.core.descent import Run, distances
from gd_viewer.core.pins import PinnedRun, PinnedRuns
from gd_viewer.gui.panes import CostHistoryPane, DataFitPane, LossCurvePane
from gd_viewer.gui.panes.landscape import LandscapePane
from gd_viewer.gui.panes.pinned import pin_colour
from gd_viewer.gui.run_table import RunTable


class PinBoard(QObject):
    """The pins of a window, and where they show: the panes and the run table.

    Drawing happens only when the pins change (or the live run's row in the table
    does), never per frame, except in a *race*: then each pin is drawn up to the
    epoch on show, so that the pinned runs advance together with the live one.

    Signals
    -------
    pins_changed(int)
        A pin came or went; the number of pins now.
    """

    pins_changed = Signal(int)

    def __init__(
        self,
        loss_pane: LossCurvePane,
        cost_pane: CostHistoryPane,
        fit_pane: DataFitPane,
        run_table: RunTable | None,
        parent: QObject | None = None,
        landscape_pane: LandscapePane | None = None,
    ) -> None:
        super().__init__(parent)
        self._landscape_pane = landscape_pane
        #: In a race, the epoch the pins are drawn up to; None draws them whole.
        self._race_epoch: int | None = None
        self.pins = PinnedRuns()
        self._loss_pane = loss_pane
        self._cost_pane = cost_pane
        self._fit_pane = fit_pane
        self._table = run_table
        self._live: Run | None = None
        self._distance = False

    def pin(self, run: Run) -> str:
        """Pin ``run``; returns why it could not be pinned, or ``""``."""
        if len(run.history) == 0:
            return self.tr("This run has no epoch to pin.")
        if not run.finished:
            return self.tr("This run is still being computed: pin it once it has finished.")
        if self.pins.full:
            return self.tr("All {count} pins are in use: remove one first.").format(
                count=len(self.pins)
            )
        if not self.pins.add(PinnedRun.from_run(run)):
            return self.tr("This run is pinned already.")
        self._draw()
        return ""

    def unpin(self, index: int) -> bool:
        """Remove pin ``index`` (False if there is none)."""
        if not 0 <= index < len(self.pins):
            return False
        self.pins.remove(index)
        self._draw()
        return True

    def clear(self) -> None:
        """Remove every pin."""
        if len(self.pins):
            self.pins.clear()
            self._draw()

    def set_distance_mode(self, enabled: bool) -> None:
        """Draw the pins' |w − w*| per epoch on the cost pane instead of their costs."""
        if bool(enabled) != self._distance:
            self._distance = bool(enabled)
            self._draw()

    def show_live(self, run: Run | None) -> None:
        """List ``run`` (the one on show) first in the table, beside the pins."""
        if self._table is None:
            return
        live = None
        if run is not None and len(run.history):
            live = PinnedRun.from_run(run, self.tr("now"))
        self._table.set_runs(list(self.pins), self._colours(), live)
        self._live = run

    @property
    def racing(self) -> bool:
        """Whether the pins are drawn up to an epoch (a race) rather than whole."""
        return self._race_epoch is not None

    def set_race_epoch(self, epoch: int | None) -> None:
        """Draw each pin up to ``epoch`` (its last epoch if it ended sooner), with a dot
        at its point there; None: draw the pins whole again."""
        epoch = None if epoch is None else max(int(epoch), 0)
        if epoch != self._race_epoch:
            self._race_epoch = epoch
            self._draw_panes()

    def _rows(self, pinned: PinnedRun) -> int:
        """How many of ``pinned``'s rows are on show."""
        rows = len(pinned.cost)
        return rows if self._race_epoch is None else min(rows, self._race_epoch + 1)

    def _cost_series(self, pinned: PinnedRun) -> np.ndarray:
        return distances(pinned.params, pinned.optimum) if self._distance else pinned.cost

    def _colours(self) -> list[QColor]:
        return [pin_colour(i) for i in self.pins.colours]

    def _draw(self) -> None:
        self._draw_panes()
        self.show_live(self._live)
        self.pins_changed.emit(len(self.pins))

    def _draw_panes(self) -> None:
        pins = list(zip(self.pins, self._colours(), strict=True))
        racing = self.racing
        shown = [(p, c, self._rows(p)) for p, c in pins]
        paths = [(p, c, *self._path(p, rows)) for p, c, rows in shown]
        self._loss_pane.set_pinned(
            [(p.label, c, path[:, 0], cost) for p, c, path, cost in paths], heads=racing
        )
        self._cost_pane.set_pinned(
            [
                (p.label, c, p.epoch_numbers[:rows], self._cost_series(p)[:rows])
                for p, c, rows in shown
            ],
            heads=racing,
        )
        lines = []
        for p, c, rows in shown:
            params = p.params[rows - 1]
            b = float(params[1]) if len(params) > 1 else 0.0
            lines.append((p.label, c, float(params[0]), b))
        self._fit_pane.set_pinned_lines(lines)
        if self._landscape_pane is not None:
            self._landscape_pane.set_pinned(
                [
                    (p.label, c, path[:, 0], path[:, 1])
                    for p, c, path, _ in paths
                    if p.params.shape[1] > 1
                ],
                heads=racing,
            )

    @staticmethod
    def _path(pinned: PinnedRun, rows: int) -> tuple[np.ndarray, np.ndarray]:
        """The parameters and costs along ``pinned``'s first ``rows`` epochs: per update for
        a stochastic run (noisy, as the live run's), ending where epoch ``rows − 1`` starts."""
        params, cost = pinned.params[:rows], pinned.cost[:rows]
        if not len(pinned.update_params):
            return params, cost
        count = pinned.updates_by(rows - 1)
        path = pinned.update_params[:count]
        path_cost = pinned.update_cost[:count]
        if not count or not np.array_equal(path[-1], params[-1]):
            # A long run records every few updates: end on the epoch's own point.
            path = np.vstack((path, params[-1:]))
            path_cost = np.concatenate((path_cost, cost[-1:]))
        return path, path_cost
