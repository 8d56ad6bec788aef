"""The one place that wires the control panel, the playback bar, the panes and the worker.

A run's History is the single source of truth. The *playhead* is the epoch on
show; step, play, pause, rewind and scrubbing only move it, and the panes draw
the History up to it. The worker computes epochs ahead of the playhead.
Drawing happens on a display timer, at most once a frame and only when
something changed.
"""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QElapsedTimer, QObject, QTimer, Signal, Slot
from PySide6.QtWidgets import QLabel

from gd_viewer.core.analysis import Analysis
from gd_viewer.core.data import DataError, Dataset, write_csv
from gd_viewer.core.descent import Run, distances
from gd_viewer.core.pins import PinnedRuns
from gd_viewer.core.settings import RunSettings
from gd_viewer.gui.controls import ControlPanel
from gd_viewer.gui.formula_panel import FormulaPanel
from gd_viewer.gui.narration import Narrator
from gd_viewer.gui.panes import CostHistoryPane, DataFitPane, LossCurvePane
from gd_viewer.gui.pin_board import PinBoard
from gd_viewer.gui.playback import PlaybackBar
from gd_viewer.gui.run_table import RunTable
from gd_viewer.gui.runaway import RunawayGuard
from gd_viewer.gui.runner import Runner

#: The x at which the tutorial prints its prediction before and after training.
PREDICTION_X = 4.0
FRAME_MS = 16
STATUS_INTERVAL_MS = 120
#: The data pane keeps in view the predictions of a run up to this many times the data's
#: height beyond the data (a run that runs away is followed as it plays instead).
PREDICTION_SPAN_REACH = 3.0
#: Points of the parabola drawn on the w–loss pane.
CURVE_POINTS = 400
#: Most points of the cost curve handed to its pane per frame (thinned evenly).
MAX_DRAWN_POINTS = 4000
#: Most dots of the visited-w trail: each is a symbol, far costlier than a line point.
MAX_TRAIL_POINTS = 150


def thinned(count: int, limit: int = MAX_DRAWN_POINTS) -> np.ndarray:
    """Indices ``0 … count-1``, at most ``limit`` of them, always with the first and last."""
    if count <= limit:
        return np.arange(count)
    return np.unique(np.linspace(0, count - 1, limit).round().astype(np.intp))


class Controller(QObject):
    """Connects the widgets with each other and with the training worker."""

    #: (title, message) of a problem the window should show the user.
    problem = Signal(str, str)
    #: The epoch on show changed (for tests and automation).
    playhead_moved = Signal(int)

    def __init__(
        self,
        controls: ControlPanel,
        playback: PlaybackBar,
        loss_pane: LossCurvePane,
        cost_pane: CostHistoryPane,
        fit_pane: DataFitPane,
        status_line: QLabel,
        parent: QObject | None = None,
        formula_panel: FormulaPanel | None = None,
        run_table: RunTable | None = None,
    ) -> None:
        super().__init__(parent)
        self.formula_panel = formula_panel
        self._narrator = Narrator(status_line, formula_panel, self)
        self.run_table = run_table
        # Finished runs kept on screen to compare with (see pin).
        self._pin_board = PinBoard(loss_pane, cost_pane, fit_pane, run_table, self)
        self.controls = controls
        self.playback = playback
        self.loss_pane = loss_pane
        self.cost_pane = cost_pane
        self.fit_pane = fit_pane
        self.status_line = status_line
        self.runner = Runner(self)

        self.dataset: Dataset = controls.dataset() or Dataset.tutorial()
        self.settings: RunSettings = controls.run_settings() or RunSettings()
        self.run: Run | None = None
        #: Learning-rate limits of the run (plain gradient descent only).
        self.analysis: Analysis | None = None
        #: Why playback paused by itself (a run that runs away), for the status line.
        self._runaway = RunawayGuard(self)
        self._pin_note = ""
        # The predictions the data pane's view holds: of rows 0 … _span_rows − 1.
        self._span_rows = 0
        self._prediction_span: tuple[float, float] | None = None
        #: The cost pane plots |w − w*| per epoch instead of the cost.
        self.show_distance = False
        self.computed = 0
        self.playhead = 0
        self.playing = False
        self._position = 0.0
        self._speed = controls.speed()
        self._w_range = (0.0, 0.0)
        self._dirty = False
        self._inputs_valid = True
        self._closed = False
        # While the user drags the w marker or a data point, the view holds still under the mouse.
        self._holding_view = False

        self._frame_clock = QElapsedTimer()
        self._status_clock = QElapsedTimer()
        self._status_clock.start()
        self._timer = QTimer(self)
        self._timer.setInterval(FRAME_MS)
        self._timer.timeout.connect(self._on_timer_timeout)
        self._texts_timer = QTimer(self)
        self._texts_timer.setSingleShot(True)
        self._texts_timer.setInterval(0)
        self._texts_timer.timeout.connect(self._show_texts)

        controls.inputs_changed.connect(self._on_controls_inputs_changed)
        controls.validity_changed.connect(self._on_controls_validity_changed)
        controls.speed_changed.connect(self._on_controls_speed_changed)
        playback.play_toggled.connect(self._on_playback_play_toggled)
        playback.step_requested.connect(self.step)
        playback.step_back_requested.connect(self.step_back)
        playback.reset_requested.connect(self.reset)
        playback.epoch_scrubbed.connect(self.seek)
        cost_pane.epoch_picked.connect(self.seek)
        loss_pane.initial_w_dragged.connect(self._on_loss_pane_initial_w_dragged)
        loss_pane.initial_w_drag_finished.connect(self._on_loss_pane_initial_w_drag_finished)
        loss_pane.set_marker_draggable(True)
        fit_pane.point_dragged.connect(self._on_fit_pane_point_dragged)
        fit_pane.point_drag_finished.connect(self._on_fit_pane_point_drag_finished)
        fit_pane.set_points_draggable(True)
        if run_table is not None:
            run_table.remove_requested.connect(self.unpin)
        self.runner.run_started.connect(self._on_runner_run_started)
        self.runner.progressed.connect(self._on_runner_progressed)
        self.runner.run_failed.connect(self._on_runner_run_failed)
        self.runner.data_loaded.connect(self._on_runner_data_loaded)
        self.runner.data_load_failed.connect(self._on_runner_data_load_failed)

    # ------------------------------------------------------------ commands

    def start(self, dataset: Dataset | None = None, settings: RunSettings | None = None) -> None:
        """Begin a new run (epoch 0) with new or current inputs.

        Pinned runs stay for new settings, and go with new data (their costs and
        paths belong to the old points).
        """
        if dataset is not None and dataset != self.dataset:
            self._pin_board.clear()
        self.dataset = dataset or self.dataset
        self.settings = settings or self.settings
        self.run = None
        self.analysis = None
        self._span_rows, self._prediction_span = 0, None
        self.fit_pane.set_prediction_span(math.nan, math.nan, math.nan)
        self._runaway.forget()
        self.computed = 0
        self._set_playhead(0)
        self._position = 0.0
        self.playback.set_epoch_count(self.settings.epochs)
        self.playback.set_computed(0)
        self.cost_pane.set_epoch_count(self.settings.epochs)
        self.fit_pane.set_points(self.dataset.x, self.dataset.y)
        self.runner.start(self.dataset, self.settings)

    @Slot()
    def toggle_play(self) -> None:
        self.set_playing(not self.playing)

    def set_playing(self, playing: bool) -> None:
        """Play or pause; playing from the last epoch starts again from 0."""
        playing = playing and self._inputs_valid and self.run is not None
        if playing and self._at_end():
            self._set_playhead(0)
        self.playing = playing
        self._position = float(self.playhead)
        self._frame_clock.start()
        self.playback.set_playing(playing)
        # Each pane's numbers change in frames of their own (a third of the interval apart).
        for phase, pane in enumerate((self.loss_pane, self.cost_pane, self.fit_pane)):
            pane.set_live(playing, phase / 3.0)
        self.loss_pane.set_marker_draggable(not playing)
        self.fit_pane.set_points_draggable(not playing)
        self._mark_dirty()

    @Slot()
    def step(self) -> None:
        self.set_playing(False)
        self.seek(self.playhead + 1)

    @Slot()
    def step_back(self) -> None:
        self.set_playing(False)
        self.seek(self.playhead - 1)

    @Slot()
    def reset(self) -> None:
        self.set_playing(False)
        self.seek(0)

    @Slot(int)
    def seek(self, epoch: int) -> None:
        """Show ``epoch`` (clamped to what has been computed)."""
        self._set_playhead(epoch)
        self._position = float(self.playhead)

    def set_show_distance(self, enabled: bool) -> None:
        """Plot |w − w*| per epoch (on a log axis: the straight line of linear convergence)."""
        self.show_distance = bool(enabled)
        self.cost_pane.set_distance_mode(self.show_distance)
        self._pin_board.set_distance_mode(self.show_distance)
        self._mark_dirty()

    @property
    def pins(self) -> PinnedRuns:
        """The pinned runs."""
        return self._pin_board.pins

    @Slot()
    def pin(self) -> bool:
        """Keep the current run on screen, in its own colour, to compare later runs with.

        Returns False (and says why on the status line) when it cannot be pinned.
        """
        if self.run is None:
            return False
        self._pin_note = self._pin_board.pin(self.run)
        self._mark_dirty()
        return not self._pin_note

    @Slot(int)
    def unpin(self, index: int) -> None:
        """Remove pinned run ``index``."""
        if self._pin_board.unpin(index):
            self._pin_note = ""
            self._mark_dirty()

    def load_data(self, path: str) -> None:
        """Read a CSV file in the worker; the run restarts with it when it arrives."""
        self.set_playing(False)
        self.controls.set_editing_enabled(False)
        self.status_line.setText(self.tr("Loading {path} …").format(path=path))
        self.runner.load_csv(path)

    def save_data(self, path: str) -> bool:
        """Write the current points to ``path`` as CSV; False (and a message) on failure."""
        try:
            write_csv(self.dataset, path)
        except OSError as error:
            self.problem.emit(
                self.tr("Could not save the data"),
                self.tr("Cannot write {path}: {reason}.").format(
                    path=path, reason=error.strerror or error
                ),
            )
            return False
        return True

    def shutdown(self) -> None:
        """Stop drawing and join the worker thread (safe to call twice)."""
        if self._closed:
            return
        self._closed = True
        self._timer.stop()
        self._texts_timer.stop()
        self.runner.shutdown()

    # ------------------------------------------------------------ playhead

    def _set_playhead(self, epoch: int) -> None:
        epoch = max(0, min(int(epoch), self.computed))
        if epoch != self.playhead:
            self.playhead = epoch
            self.playhead_moved.emit(epoch)
        self._mark_dirty()

    def _mark_dirty(self) -> None:
        self._dirty = True
        if not self._timer.isActive() and not self._closed:
            self._timer.start()

    @Slot()
    def _on_timer_timeout(self) -> None:
        if self.playing:
            self._advance_playback()
        if self._dirty:
            self._dirty = False
            self._redraw()
        if not self.playing and not self._dirty:
            self._timer.stop()

    def _advance_playback(self) -> None:
        seconds = self._frame_clock.restart() / 1000.0
        self._position = min(self._position + self._speed * seconds, float(self.computed))
        self._set_playhead(math.floor(self._position))
        if self._at_end() or self._running_away():
            self.set_playing(False)

    def _at_end(self) -> bool:
        """The playhead is on the run's last epoch (all done, stopped by its rule, or diverged)."""
        run = self.run
        if run is None:
            return False
        # A finished run's epoch count is final; `computed` may still be catching up.
        return self.playhead >= self.settings.epochs or (
            run.finished and self.playhead >= run.epochs_done
        )

    def _running_away(self) -> bool:
        run = self.run
        if run is None or not self._runaway.check(
            run, self.analysis, self.settings.lr, self.playhead
        ):
            return False
        self._mark_dirty()  # the status line says why
        return True

    # ------------------------------------------------------------ drawing

    def _redraw(self) -> None:
        run = self.run
        if run is None:
            return
        history = run.history
        k = self.playhead
        rows = thinned(k + 1)
        params = history.params
        w = params[: k + 1, 0]
        cost = history.cost[: k + 1]
        current_w, current_cost = float(w[k]), float(cost[k])
        grad = float(history.grad[k, 0])
        next_w = float(params[k + 1, 0]) if k < self.computed else None
        next_cost = float(history.cost[k + 1]) if k < self.computed else None

        self._ensure_w_range(current_w)
        trail = thinned(k + 1, MAX_TRAIL_POINTS)
        self.loss_pane.set_trail(w[trail], cost[trail])
        self.loss_pane.set_current(current_w, current_cost, grad, next_w, next_cost)
        if self.show_distance:
            distance = distances(params[rows], run.quadratic.optimum)
            self.cost_pane.set_costs(rows.astype(np.float64), distance)
            self.cost_pane.set_current(k, float(distance[-1]))
        else:
            self.cost_pane.set_costs(rows.astype(np.float64), cost[rows])
            self.cost_pane.set_current(k, current_cost)
        self.fit_pane.set_line(current_w)
        self.fit_pane.set_prediction(
            PREDICTION_X, PREDICTION_X * float(w[0]), PREDICTION_X * current_w
        )
        # While playing, the status line, the timeline and the step's formula follow at about
        # 8 times a second: each of their updates lays out text, and nobody reads 60 a second.
        # They are written in an event of their own, after this frame's panes are painted: the
        # window answers in between (a jump to the end of a run changes everything at once).
        if not self.playing or self._status_clock.elapsed() >= STATUS_INTERVAL_MS:
            self._status_clock.restart()
            self._texts_timer.start()

    @Slot()
    def _show_texts(self) -> None:
        """The status line, the timeline and the formula panel, at the playhead."""
        run = self.run
        if run is None:
            return
        self.playback.set_epoch(self.playhead)
        notes = [self._runaway.note(run)]
        if not self._inputs_valid:
            notes.append(self.tr("Fix the highlighted inputs to run again."))
        notes = [note for note in notes if note]
        self._narrator.show(
            run, self.playhead, self.settings, self.dataset, self.computed, notes, self._pin_note
        )

    def _ensure_w_range(self, current_w: float) -> None:
        """Keep the w–loss view around w0, the optimum and every w shown (never shrinking)."""
        assert self.run is not None
        low, high = self._w_range
        if low <= current_w <= high:
            return
        low, high = min(low, current_w), max(high, current_w)
        span = high - low or max(1.0, abs(high))
        self._w_range = (low - 0.1 * span, high + 0.1 * span)
        self._draw_curve()

    def _draw_curve(self) -> None:
        assert self.run is not None
        low, high = self._w_range
        grid = np.linspace(low, high, CURVE_POINTS)
        self.loss_pane.set_curve(grid, self.run.quadratic.cost_grid(grid))
        self.loss_pane.set_w_range(low, high)

    # ------------------------------------------------------------ events

    @Slot(object, object)
    def _on_controls_inputs_changed(self, dataset: Dataset, settings: RunSettings) -> None:
        self.set_playing(False)
        self.start(dataset, settings)

    @Slot(bool)
    def _on_controls_validity_changed(self, valid: bool) -> None:
        self._inputs_valid = valid
        if not valid:
            self.set_playing(False)
        self.playback.set_controls_enabled(valid)
        self._mark_dirty()

    @Slot(float)
    def _on_controls_speed_changed(self, speed: float) -> None:
        self._speed = speed

    @Slot(bool)
    def _on_playback_play_toggled(self, playing: bool) -> None:
        self.set_playing(playing)

    @Slot(float)
    def _on_loss_pane_initial_w_dragged(self, w: float) -> None:
        if self.playing or not math.isfinite(w):
            return
        self._holding_view = True
        settings = self.settings.replace(w0=w)
        self.controls.set_run_settings(settings)
        self.start(self.dataset, settings)

    @Slot(float)
    def _on_loss_pane_initial_w_drag_finished(self, w: float) -> None:
        self._holding_view = False
        if self.run is not None:
            self._fit_w_range_to_run(self.run)

    @Slot(int, float, float)
    def _on_fit_pane_point_dragged(self, index: int, x: float, y: float) -> None:
        if self.playing or not (math.isfinite(x) and math.isfinite(y)):
            return
        try:
            dataset = self.dataset.with_point(index, x, y)
        except (DataError, IndexError):
            return  # off the scale of the data: the point stays where it was
        self._holding_view = True
        self.controls.set_dataset(dataset)
        self.start(dataset, self.settings)

    @Slot(int, float, float)
    def _on_fit_pane_point_drag_finished(self, index: int, x: float, y: float) -> None:
        self._on_fit_pane_point_dragged(index, x, y)
        self._holding_view = False
        if self.run is not None:
            self._fit_w_range_to_run(self.run)

    @Slot(int, object)
    def _on_runner_run_started(self, generation: int, run: Run) -> None:
        self.run = run
        self._runaway.forget()
        self.analysis = Analysis.of(run.quadratic) if run.settings.optimizer == "gd" else None
        if self._holding_view:
            self._draw_curve()  # same view, so the marker stays under the mouse
        else:
            self._fit_w_range_to_run(run)
        self.loss_pane.set_optimum(run.quadratic.optimum[0], run.quadratic.min_cost)
        self.fit_pane.set_optimum(*run.quadratic.optimum)
        self._mark_dirty()

    def _fit_w_range_to_run(self, run: Run) -> None:
        w0 = self.settings.w0
        optimum = run.quadratic.optimum[0]
        low, high = min(w0, optimum), max(w0, optimum)
        span = high - low or max(1.0, abs(high))
        self._w_range = (low - 0.25 * span, high + 0.25 * span)
        self._draw_curve()

    @Slot(int, int)
    def _on_runner_progressed(self, generation: int, epochs_done: int) -> None:
        self.computed = epochs_done
        self.playback.set_computed(epochs_done)
        self._keep_predictions_in_view(epochs_done)
        run = self.run
        if run is not None and run.finished and epochs_done >= run.epochs_done:
            self._pin_board.show_live(run)  # its row in the table, now that it is final
        self._mark_dirty()

    def _keep_predictions_in_view(self, epochs_done: int) -> None:
        """Let the data pane's view hold the predictions of every epoch computed so far.

        Then the view does not change while they are played (which would repaint the whole
        pane mid-run). A run that runs away is followed as it plays instead: the span kept
        reaches no further than a few times the data's own height.
        """
        run = self.run
        if run is None or epochs_done < self._span_rows:
            return
        new = PREDICTION_X * run.history.params[self._span_rows : epochs_done + 1, 0]
        new = new[np.isfinite(new)]
        self._span_rows = epochs_done + 1
        if not new.size:
            return
        low, high = float(new.min()), float(new.max())
        if self._prediction_span is not None:
            low, high = min(low, self._prediction_span[0]), max(high, self._prediction_span[1])
        y_low, y_high = float(self.dataset.y.min()), float(self.dataset.y.max())
        reach = PREDICTION_SPAN_REACH * max(y_high - y_low, abs(y_high), abs(y_low), 1.0)
        low, high = max(low, y_low - reach), min(high, y_high + reach)
        if (low, high) != self._prediction_span:
            self._prediction_span = (low, high)
            self.fit_pane.set_prediction_span(PREDICTION_X, low, high)

    @Slot(int, str)
    def _on_runner_run_failed(self, generation: int, message: str) -> None:
        self.problem.emit(self.tr("The run could not start"), message)

    @Slot(object)
    def _on_runner_data_loaded(self, dataset: Dataset) -> None:
        self.controls.set_dataset(dataset)
        self.controls.set_editing_enabled(True)
        # The panel's setters never emit: a table that had a bad cell is valid now.
        self._on_controls_validity_changed(self.controls.is_valid())
        self.start(dataset, self.controls.run_settings() or self.settings)

    @Slot(str)
    def _on_runner_data_load_failed(self, message: str) -> None:
        self.controls.set_editing_enabled(True)
        self._mark_dirty()
        self.problem.emit(self.tr("Could not open the data"), message)
