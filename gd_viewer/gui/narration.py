"""What the window says in words about the epoch on show: the status line and the step's formula."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QLabel

from gd_viewer.core.data import Dataset
from gd_viewer.core.descent import Run
from gd_viewer.core.settings import RunSettings
from gd_viewer.gui.formula_panel import FormulaPanel


class Narrator(QObject):
    """Writes the status line (the headless command's digits) and fills the formula panel."""

    def __init__(
        self, status_line: QLabel, formula_panel: FormulaPanel | None, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._status_line = status_line
        self._formula_panel = formula_panel

    def show(
        self,
        run: Run,
        epoch: int,
        settings: RunSettings,
        dataset: Dataset,
        computed: int,
        notes: list[str],
        also: str = "",
    ) -> None:
        """Say what epoch ``epoch`` of ``run`` is.

        Below the numbers: why the run stopped, if it did here, or else the first of
        ``notes`` (in order of weight); then ``also``, if any.
        """
        history = run.history
        params, grad = history.params[epoch], history.grad[epoch]
        cost = float(history.cost[epoch])
        if len(params) == 1:
            w, g = float(params[0]), float(grad[0])
            text = self.tr(
                "Epoch {epoch} of {epochs}:  w = {w!r}   cost = {cost!r}   gradient = {grad!r}   "
                "prediction at x = 4: {prediction!r}"
            ).format(
                epoch=epoch, epochs=settings.epochs, w=w, cost=cost, grad=g, prediction=4 * w,
            )  # fmt: skip
        else:
            w, b = float(params[0]), float(params[1])
            text = self.tr(
                "Epoch {epoch} of {epochs}:  w = {w!r}   b = {b!r}   cost = {cost!r}   "
                "∂cost/∂w = {grad_w!r}   ∂cost/∂b = {grad_b!r}   "
                "prediction at x = 4: {prediction!r}"
            ).format(
                epoch=epoch, epochs=settings.epochs, w=w, b=b, cost=cost,
                grad_w=float(grad[0]), grad_b=float(grad[1]), prediction=4 * w + b,
            )  # fmt: skip
        if run.finished and epoch >= run.epochs_done and run.reason:
            text += "\n" + self.tr("Stopped: {reason}.").format(reason=run.reason)
        else:
            text += "".join("\n" + note for note in notes[:1])
        if also:
            text += "\n" + also
        self._status_line.setText(text)
        self._show_formula(run, epoch, settings, dataset, computed)

    def _show_formula(
        self, run: Run, k: int, settings: RunSettings, dataset: Dataset, computed: int
    ) -> None:
        """The step at epoch ``k`` with its numbers, once the next epoch (if any) is known."""
        panel = self._formula_panel
        if panel is None:
            return
        history = run.history
        if k < computed:
            next_params: list[float] | None = [float(v) for v in history.params[k + 1]]
        elif run.finished and k >= run.epochs_done:
            next_params = None  # the run ended here
        else:
            return  # the worker has not computed the next epoch yet: the next frame shows it
        panel.set_step(
            settings.model, dataset.x, dataset.y,
            [float(v) for v in history.params[k]], float(history.cost[k]),
            [float(v) for v in history.grad[k]], settings.lr, next_params,
        )  # fmt: skip
