"""The one place that wires the control panel, the playback bar, the panes and the worker.

A run's History is the single source of truth. The *playhead* is the epoch on
show; step, play, pause, rewind and scrubbing only move it, and the panes draw
the History up to it. The worker computes epochs ahead of the playhead.
Drawing happens on a display timer, at most once a frame and only when
something changed.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QElapsedTimer, QObject, QTimer, Signal, Slot
from PySide6.QtWidgets import QLabel

from gd_viewer.core.analysis import Analysis
from gd_viewer.core.data import DataError, Dataset, write_csv
from gd_viewer.core.descent import Run
from gd_viewer.core.pins import PinnedRuns
from gd_viewer.core.presets import Preset
from gd_viewer.core.settings import RunSettings, SettingsError
from gd_viewer.gui.controls import ControlPanel
from gd_viewer.gui.drawing import RunDrawer
from gd_viewer.gui.formula_panel import FormulaPanel
from gd_viewer.gui.narration import Narrator
from gd_viewer.gui.panes import CostHistoryPane, DataFitPane, LossCurvePane
from gd_viewer.gui.panes.landscape import LandscapePane
from gd_viewer.gui.pin_board import PinBoard
from gd_viewer.gui.playback import PlaybackBar
from gd_viewer.gui.run_table import RunTable
from gd_viewer.gui.runaway import RunawayGuard
from gd_viewer.gui.runner import Runner

FRAME_MS = 16
STATUS_INTERVAL_MS = 120


class Controller(QObject):
    """Connects the widgets with each other and with the training worker."""

    #: (title, message) of a problem the window should show the user.
    problem = Signal(str, str)
    #: The epoch on show changed (for tests and automation).
    playhead_moved = Signal(int)
    #: A run started at epoch 0: its data and settings.
    started = Signal(object, object)
    #: A race of the pinned runs began (True) or ended (False).
    racing_changed = Signal(bool)
    #: A run was pinned or unpinned: the number of pins now.
    pins_changed = Signal(int)

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
        landscape_pane: LandscapePane | None = None,
    ) -> None:
        super().__init__(parent)
        self.formula_panel = formula_panel
        self._narrator = Narrator(status_line, formula_panel, self)
        self.run_table = run_table
        # Finished runs kept on screen to compare with (see pin).
        self._pin_board = PinBoard(loss_pane, cost_pane, fit_pane, run_table, self, landscape_pane)
        self._pin_board.pins_changed.connect(self.pins_changed)
        self._pin_board.pins_changed.connect(self._on_pin_board_pins_changed)
        self._drawer = RunDrawer(loss_pane, cost_pane, fit_pane, landscape_pane)
        self.controls = controls
        self.playback = playback
        self.loss_pane = loss_pane
        self.cost_pane = cost_pane
        self.fit_pane = fit_pane
        self.landscape_pane = landscape_pane
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
        #: The cost pane plots |w − w*| per epoch instead of the cost.
        self.show_distance = False
        self.computed = 0
        self.playhead = 0
        self._drawn_epoch = 0
        self.playing = False
        self._position = 0.0
        self._speed = controls.speed()
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
        controls.set_frame_rate(1000.0 / FRAME_MS)
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
        # A pane drawn while it had no room yet (the landscape as it comes into view) is
        # drawn again once it has: its setters skip points that would not move a pixel.
        for pane in (loss_pane, cost_pane, fit_pane, landscape_pane):
            if pane is not None:
                pane.getPlotItem().getViewBox().sigResized.connect(self._on_pane_view_resized)
        if landscape_pane is not None:
            landscape_pane.start_picked.connect(self._on_landscape_pane_start_picked)
            landscape_pane.set_start_pickable(True)
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
            self.set_racing(False)
        self.dataset = dataset or self.dataset
        self.settings = settings or self.settings
        self.run = None
        self.analysis = None
        self._drawer.forget()
        self._runaway.forget()
        self.computed = 0
        self._set_playhead(0)
        self._position = 0.0
        self.playback.set_epoch_count(self.settings.epochs)
        self.playback.set_computed(0)
        self.cost_pane.set_epoch_count(self.settings.epochs)
        self.fit_pane.set_points(self.dataset.x, self.dataset.y)
        self.runner.start(self.dataset, self.settings)
        self.started.emit(self.dataset, self.settings)

    def load_preset(self, preset: Preset) -> None:
        """Show a preset's data and settings in the panel and start a run of them."""
        self.set_playing(False)
        self.set_racing(False)
        self.controls.set_dataset(preset.dataset)
        self.controls.set_run_settings(preset.settings)
        # The panel's setters never emit: a table that had a bad cell is valid now.
        self._on_controls_validity_changed(self.controls.is_valid())
        self.start(preset.dataset, preset.settings)

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
        if self.landscape_pane is not None:
            self.landscape_pane.set_start_pickable(not playing)
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
        """Remove pinned run ``index`` (the last one ends a race)."""
        if self._pin_board.unpin(index):
            self._pin_note = ""
            if not len(self.pins):
                self.set_racing(False)
            self._mark_dirty()

    @property
    def racing(self) -> bool:
        """Whether the pinned runs race the live one (drawn up to the epoch on show)."""
        return self._pin_board.racing

    @Slot(bool)
    def set_racing(self, racing: bool) -> bool:
        """Start a race of the pinned runs with the live one from epoch 0, playing; or end
        it (the pins are drawn whole again). Returns whether a race is on.

        A race needs at least one pinned run; each advances one epoch whenever the live
        run does (at the playback speed), so they are compared epoch for epoch.
        """
        racing = bool(racing) and len(self.pins) > 0 and self.run is not None
        if racing == self.racing:
            if not racing:
                self.racing_changed.emit(False)  # a race refused: its button pops up again
            return racing
        if racing:
            self.set_playing(False)
            self._set_playhead(0)
            self._position = 0.0
            self._pin_board.set_race_epoch(0)
            self.set_playing(True)
        else:
            self._pin_board.set_race_epoch(None)
        self.racing_changed.emit(racing)
        self._mark_dirty()
        return racing

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
        self._drawer.draw(run, self.playhead, self.computed, self.show_distance)
        if self.racing:
            self._pin_board.set_race_epoch(self.playhead)
        self._drawer.finish_frame()
        # While playing, the status line, the timeline and the step's formula follow at about
        # 8 times a second: each of their updates lays out text, and nobody reads 60 a second.
        # They are written in an event of their own, after this frame's panes are painted: the
        # window answers in between (a jump to the end of a run changes everything at once).
        if not self.playing or self._status_clock.elapsed() >= STATUS_INTERVAL_MS:
            self._status_clock.restart()
            self._drawn_epoch = self.playhead  # the texts tell of what the panes show
            self._texts_timer.start()

    @Slot()
    def _show_texts(self) -> None:
        """The status line, the timeline and the formula panel, at the epoch drawn last
        (the playhead may have moved since: the panes show it at the next frame, then
        the texts follow)."""
        run = self.run
        if run is None:
            return
        epoch = min(self._drawn_epoch, len(run.history) - 1)
        self.playback.set_epoch(epoch)
        notes = [self._runaway.note(run)]
        if not self._inputs_valid:
            notes.append(self.tr("Fix the highlighted inputs to run again."))
        notes = [note for note in notes if note]
        self._narrator.show(
            run, epoch, self.settings, self.dataset, self.computed, notes, self._pin_note
        )

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

    @Slot(int)
    def _on_pin_board_pins_changed(self, _count: int) -> None:
        self._drawer.set_pinned_paths(self.run, [pinned.params for pinned in self.pins])

    @Slot(object)
    def _on_pane_view_resized(self, _view: object) -> None:
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
            self._drawer.fit_w_range(self.run)

    @Slot(float, float)
    def _on_landscape_pane_start_picked(self, w: float, b: float) -> None:
        if self.playing or self.settings.model != "line":
            return
        try:
            settings = self.settings.replace(w0=w, b0=b)
        except SettingsError:
            return  # beyond the range of the inputs: the start stays where it was
        self.controls.set_run_settings(settings)
        self.start(self.dataset, settings)

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
            self._drawer.fit_w_range(self.run)

    @Slot(int, object)
    def _on_runner_run_started(self, generation: int, run: Run) -> None:
        self.run = run
        self._runaway.forget()
        self.analysis = Analysis.of(run.quadratic) if run.settings.optimizer == "gd" else None
        self._drawer.show_run(run, hold_view=self._holding_view)
        self._mark_dirty()

    @Slot(int, int)
    def _on_runner_progressed(self, generation: int, epochs_done: int) -> None:
        self.computed = epochs_done
        self.playback.set_computed(epochs_done)
        run = self.run
        if run is not None:
            y = self.dataset.y
            self._drawer.keep_in_view(
                run, epochs_done, float(y.min()), float(y.max()), hold_view=self._holding_view
            )
            if run.finished and epochs_done >= run.epochs_done:
                self._pin_board.show_live(run)  # its row in the table, now that it is final
        self._mark_dirty()

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
