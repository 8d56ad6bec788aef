"""Pinned runs: kept from earlier runs, drawn under the live one and listed beside it."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QObject
from PySide6.QtGui import QColor

from gd_viewer.core.descent import Run, distances
from gd_viewer.core.pins import PinnedRun, PinnedRuns
from gd_viewer.gui.panes import CostHistoryPane, DataFitPane, LossCurvePane
from gd_viewer.gui.panes.pinned import pin_colour
from gd_viewer.gui.run_table import RunTable


class PinBoard(QObject):
    """The pins of a window, and where they show: the panes and the run table.

    Drawing happens only when the pins change (or the live run's row in the table
    does), never per frame.
    """

    def __init__(
        self,
        loss_pane: LossCurvePane,
        cost_pane: CostHistoryPane,
        fit_pane: DataFitPane,
        run_table: RunTable | None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
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

    def _cost_series(self, pinned: PinnedRun) -> np.ndarray:
        return distances(pinned.params, pinned.optimum) if self._distance else pinned.cost

    def _colours(self) -> list[QColor]:
        return [pin_colour(i) for i in self.pins.colours]

    def _draw(self) -> None:
        pins, colours = list(self.pins), self._colours()
        self._loss_pane.set_pinned(
            [(p.label, c, p.params[:, 0], p.cost) for p, c in zip(pins, colours, strict=True)]
        )
        self._cost_pane.set_pinned(
            [
                (p.label, c, p.epoch_numbers, self._cost_series(p))
                for p, c in zip(pins, colours, strict=True)
            ]
        )
        self._fit_pane.set_pinned_lines(
            [
                (
                    p.label,
                    c,
                    p.final_params[0],
                    p.final_params[1] if len(p.final_params) > 1 else 0.0,
                )
                for p, c in zip(pins, colours, strict=True)
            ]
        )
        self.show_live(self._live)
