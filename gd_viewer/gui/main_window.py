"""The main window: layout, menus, toolbar and shortcuts. The wiring lives in the controller."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, Slot
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QGridLayout,
    QGroupBox,
    QInputDialog,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QStyle,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from gd_viewer import __version__
from gd_viewer.core.data import Dataset
from gd_viewer.core.presets import Preset, PresetError, load_preset
from gd_viewer.core.settings import RunSettings
from gd_viewer.gui.button_row import ButtonRow
from gd_viewer.gui.controller import Controller
from gd_viewer.gui.controls import ControlPanel
from gd_viewer.gui.export import ExportError, export_png
from gd_viewer.gui.formula_panel import FormulaPanel
from gd_viewer.gui.panes import CostHistoryPane, DataFitPane, LossCurvePane
from gd_viewer.gui.panes.landscape import LandscapePane
from gd_viewer.gui.playback import PlaybackBar
from gd_viewer.gui.preset_input import PresetInput
from gd_viewer.gui.run_table import RunTable
from gd_viewer.gui.status_line import StatusLine

#: Least size of a pane (and of the column beside the panes), two abreast and three abreast.
PANE_MIN_WIDTH, PANE_MIN_WIDTH_THREE, PANE_MIN_HEIGHT = 220, 150, 160
#: Width offered for PNG export: sharp on a projector and in print.
DEFAULT_EXPORT_WIDTH = 1600


class MainWindow(QMainWindow):
    """gd-viewer's window, opened with the tutorial's data and settings."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("gd-viewer — gradient descent, step by step"))
        self.setObjectName("mainWindow")
        self.setMinimumSize(760, 520)
        self._fit_default_size()
        self._settings = QSettings("gd-viewer", "gd-viewer")

        self.controls = ControlPanel()
        self.loss_pane = LossCurvePane()
        self.cost_pane = CostHistoryPane()
        self.fit_pane = DataFitPane()
        self.landscape_pane = LandscapePane()
        self.playback = PlaybackBar()
        self.preset_input = PresetInput()
        self._presets: dict[str, Preset] = {}
        self.formula_panel = FormulaPanel()
        # Its height is the layout's to give (it scrolls nothing, it wraps): a step whose
        # numbers wrap differently must not move the panes beside it.
        self.formula_panel.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Ignored)
        self.run_table = RunTable()
        self.pin_button = QPushButton(self.tr("Pin this run"))
        self.pin_button.setObjectName("pinButton")
        self.pin_button.setAccessibleName(self.tr("Pin this run"))
        self.pin_button.setToolTip(
            self.tr(
                "Keep this run on the panes, in its own colour, and list it in the table: "
                "then change the learning rate or the initial w and compare."
            )
        )
        self.race_button = QPushButton(self.tr("Race the pinned runs"))
        self.race_button.setObjectName("raceButton")
        self.race_button.setAccessibleName(self.tr("Race the pinned runs"))
        self.race_button.setCheckable(True)
        self.race_button.setEnabled(False)
        self.race_button.setToolTip(
            self.tr(
                "Play the pinned runs together with this one from epoch 0, one epoch each "
                "per step, each with a dot where it has got to. Pin runs of different "
                "optimizers or settings from the same start first."
            )
        )
        self.status_line = StatusLine()
        self._build_layout()

        self.controller = Controller(
            self.controls, self.playback, self.loss_pane, self.cost_pane, self.fit_pane,
            self.status_line, self, formula_panel=self.formula_panel, run_table=self.run_table,
            landscape_pane=self.landscape_pane,
        )  # fmt: skip
        self.pin_button.clicked.connect(self.controller.pin)
        self.race_button.toggled.connect(self.controller.set_racing)
        self.controller.racing_changed.connect(self._on_controller_racing_changed)
        self.controller.pins_changed.connect(self._on_controller_pins_changed)
        self.controller.started.connect(self._on_controller_started)
        self.preset_input.preset_chosen.connect(self.controller.load_preset)
        self.preset_input.failed.connect(self._on_preset_input_failed)
        self.controller.problem.connect(self._on_controller_problem)
        self._build_actions()
        # Start with the focus on Play, not in a field, so Space and the arrows drive the
        # playback at once.
        play = self.playback.findChild(QWidget, "playButton")
        if play is not None:
            play.setFocus()
        self.controller.start()

    # ------------------------------------------------------------ layout

    def _fit_default_size(self) -> None:
        """1360×860, or nine tenths of a smaller screen."""
        width, height = 1360, 860
        screen = self.screen()
        if screen is not None:
            available = screen.availableGeometry()
            width = max(760, min(width, int(available.width() * 0.9)))
            height = max(520, min(height, int(available.height() * 0.9)))
        self.resize(width, height)

    def _build_layout(self) -> None:
        left = QWidget()
        left_column = QVBoxLayout(left)
        left_column.setContentsMargins(0, 0, 0, 0)
        preset_group = QGroupBox(self.tr("Preset"))
        QVBoxLayout(preset_group).addWidget(self.preset_input)
        left_column.addWidget(preset_group)
        left_column.addWidget(self.controls, stretch=1)
        scroll = QScrollArea()
        scroll.setWidget(left)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setMinimumWidth(260)

        self.panes_area = QWidget()
        self.panes_area.setObjectName("panesArea")
        self._grid = QGridLayout(self.panes_area)
        self._grid.setContentsMargins(0, 0, 0, 0)
        aside = self._aside = QWidget()
        aside.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        aside_column = QVBoxLayout(aside)
        aside_column.setContentsMargins(0, 0, 0, 0)
        # In a scroll area: the text's height for its width (it wraps) does not reach the
        # grid, so a step whose numbers wrap differently moves nothing beside it.
        formula_area = QScrollArea()
        formula_area.setWidget(self.formula_panel)
        formula_area.setWidgetResizable(True)
        formula_area.setFrameShape(QFrame.Shape.NoFrame)
        formula_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        aside_column.addWidget(formula_area, stretch=3)
        aside_column.addWidget(ButtonRow(self.pin_button, self.race_button))
        aside_column.addWidget(self.run_table, stretch=2)
        # The grid shares its room by stretch alone: what a pane or the step's text asks
        # for (a view's size hint follows its current size) must not move the others, or
        # every pane is laid out and painted afresh in the middle of a run.
        for pane in self._panes():
            pane.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self._arrange_panes(landscape=False)

        right = QWidget()
        column = QVBoxLayout(right)
        column.setContentsMargins(4, 0, 4, 4)
        column.addWidget(self.panes_area, stretch=1)
        column.addWidget(self.playback)
        column.addWidget(self.status_line)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(scroll)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([320, 1040])
        splitter.setChildrenCollapsible(False)
        self.setCentralWidget(splitter)

    def _panes(self) -> tuple[QWidget, ...]:
        return (self.loss_pane, self.fit_pane, self.cost_pane, self.landscape_pane)

    def _arrange_panes(self, landscape: bool) -> None:
        """Two by two for ``y = w·x``; for ``y = w·x + b`` the landscape joins the top row,
        and the epoch–cost pane takes two columns below it."""
        grid = self._grid
        for widget in (*self._panes(), self._aside):
            grid.removeWidget(widget)
        grid.addWidget(self.loss_pane, 0, 0)
        if landscape:
            grid.addWidget(self.landscape_pane, 0, 1)
            grid.addWidget(self.fit_pane, 0, 2)
            grid.addWidget(self.cost_pane, 1, 0, 1, 2)
            grid.addWidget(self._aside, 1, 2)
        else:
            grid.addWidget(self.fit_pane, 0, 1)
            grid.addWidget(self.cost_pane, 1, 0)
            grid.addWidget(self._aside, 1, 1)
            grid.addWidget(self.landscape_pane, 0, 2)  # hidden: in the window, taking no room
        self.landscape_pane.setVisible(landscape)
        # Three abreast still fit beside the control panel in the smallest window.
        least = PANE_MIN_WIDTH_THREE if landscape else PANE_MIN_WIDTH
        for widget in (*self._panes(), self._aside):
            widget.setMinimumSize(least, PANE_MIN_HEIGHT)
        for row in (0, 1):
            grid.setRowStretch(row, 1)
        for column in (0, 1, 2):
            grid.setColumnStretch(column, 1 if column < 2 or landscape else 0)

    def _build_actions(self) -> None:
        style = self.style()
        menu = self.menuBar().addMenu(self.tr("&File"))
        open_action = menu.addAction(self.tr("&Open data…"), self._on_open_triggered)
        open_action.setShortcut(QKeySequence.StandardKey.Open)
        save_action = menu.addAction(self.tr("&Save data as…"), self._on_save_triggered)
        save_action.setShortcut(QKeySequence.StandardKey.SaveAs)
        export_menu = menu.addMenu(self.tr("&Export PNG"))
        self.export_all_action = export_menu.addAction(
            style.standardIcon(QStyle.StandardPixmap.SP_DialogSaveButton),
            self.tr("All panes…"),
            lambda: self._export_with_dialog(None),
        )
        self.export_all_action.setShortcut(QKeySequence("Ctrl+E"))
        for pane, label in (
            (self.loss_pane, self.tr("w–loss curve…")),
            (self.cost_pane, self.tr("epoch–cost curve…")),
            (self.fit_pane, self.tr("Data and fit…")),
            (self.landscape_pane, self.tr("Cost landscape over (w, b)…")),
        ):
            action = export_menu.addAction(label)
            action.setData(pane.objectName())
            action.triggered.connect(self._on_export_pane_triggered)
        self.export_landscape_action = action  # (enabled while the landscape is shown)
        menu.addSeparator()
        quit_action = menu.addAction(self.tr("&Quit"), self.close)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)

        view = self.menuBar().addMenu(self.tr("&View"))
        self.log_action = view.addAction(self.tr("&Log-scale cost axis"))
        self.log_action.setCheckable(True)
        self.log_action.toggled.connect(self.cost_pane.set_log_scale)
        # The pane's own context menu can switch too; keep the menu's tick in step.
        self.cost_pane.log_scale_changed.connect(self.log_action.setChecked)
        self.distance_action = view.addAction(self.tr("&Distance to the optimum |w − w*|"))
        self.distance_action.setObjectName("distanceAction")
        self.distance_action.setCheckable(True)
        self.distance_action.setToolTip(
            self.tr(
                "Plot |w − w*| per epoch instead of the cost: on a log axis, a straight "
                "line whose slope is the contraction |1 − lr·curvature| per epoch."
            )
        )
        self.distance_action.toggled.connect(self.controller.set_show_distance)

        playback = self.menuBar().addMenu(self.tr("&Playback"))
        for text, key, slot in (
            (self.tr("Play / pause"), Qt.Key.Key_Space, self.controller.toggle_play),
            (self.tr("Step"), Qt.Key.Key_Right, self.controller.step),
            (self.tr("Step back"), Qt.Key.Key_Left, self.controller.step_back),
            (self.tr("Reset"), Qt.Key.Key_Home, self.controller.reset),
        ):
            action = QAction(text, self)
            action.setShortcut(QKeySequence(key))
            # Window-wide, but a text field being edited keeps its keys (Qt asks it first).
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.triggered.connect(slot)
            playback.addAction(action)

        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        help_menu.addAction(self.tr("&About gd-viewer"), self._on_about_triggered)

        toolbar = QToolBar(self.tr("Main"))
        toolbar.setObjectName("mainToolbar")
        toolbar.setMovable(False)
        toolbar.addAction(open_action)
        toolbar.addAction(self.export_all_action)
        toolbar.addAction(self.log_action)
        toolbar.addAction(self.distance_action)
        self.addToolBar(toolbar)

    # ------------------------------------------------------------ export

    def export_png(
        self, path: str | os.PathLike[str], pane: QWidget | str | None = None,
        width: int | None = None,
    ) -> None:  # fmt: skip
        """Write a PNG of one pane (a pane or its objectName) or, with None, of all panes.

        Raises
        ------
        ExportError
            Unknown pane, bad width, or the file cannot be written.
        """
        shown = [widget for widget in self._panes() if not widget.isHidden()]
        if pane is None:
            widgets: list[QWidget] = shown
        else:
            found = self.findChild(QWidget, pane) if isinstance(pane, str) else pane
            if found is None or found not in self._panes():
                raise ExportError(self.tr("There is no pane called {name}.").format(name=pane))
            if found not in shown:
                raise ExportError(
                    self.tr("The cost landscape is shown for the model y = w·x + b only.")
                )
            widgets = [found]
        export_png(path, widgets, width)

    @Slot()
    def _on_export_pane_triggered(self) -> None:
        action = self.sender()
        if isinstance(action, QAction):
            self._export_with_dialog(self.findChild(QWidget, str(action.data())))

    def _export_with_dialog(self, pane: QWidget | None) -> None:
        name = pane.objectName() if pane is not None else "gd-viewer"
        folder = str(self._settings.value("export/folder", str(Path.home())))
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export PNG"), str(Path(folder) / f"{name}.png"),
            self.tr("PNG images (*.png)"),
        )  # fmt: skip
        if not path:
            return
        if not path.lower().endswith(".png"):
            path += ".png"
        width, accepted = QInputDialog.getInt(
            self, self.tr("Export PNG"), self.tr("Width of the picture in pixels:"),
            self._stored_width(), 100, 8000, 100,
        )  # fmt: skip
        if not accepted:
            return
        self._settings.setValue("export/folder", str(Path(path).parent))
        self._settings.setValue("export/width", width)
        try:
            self.export_png(path, pane, width)
        except ExportError as error:
            self._on_controller_problem(self.tr("Could not export"), str(error))

    def _stored_width(self) -> int:
        """The last export width, or the default if the stored value is unusable."""
        try:
            width = int(str(self._settings.value("export/width", DEFAULT_EXPORT_WIDTH)))
        except ValueError:
            return DEFAULT_EXPORT_WIDTH
        return width if 100 <= width <= 8000 else DEFAULT_EXPORT_WIDTH

    # ------------------------------------------------------------ data files

    @Slot()
    def _on_open_triggered(self) -> None:
        folder = str(self._settings.value("data/folder", str(Path.home())))
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Open data"), folder,
            self.tr("CSV files (*.csv *.tsv *.txt);;All files (*)"),
        )  # fmt: skip
        if path:
            self._settings.setValue("data/folder", str(Path(path).parent))
            self.controller.load_data(path)

    @Slot()
    def _on_save_triggered(self) -> None:
        folder = str(self._settings.value("data/folder", str(Path.home())))
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Save data"), str(Path(folder) / "points.csv"),
            self.tr("CSV files (*.csv)"),
        )  # fmt: skip
        if path and self.controller.save_data(path):
            self._settings.setValue("data/folder", str(Path(path).parent))

    @Slot()
    def _on_about_triggered(self) -> None:
        QMessageBox.about(
            self,
            self.tr("About gd-viewer"),
            self.tr(
                "<b>gd-viewer {version}</b><p>Watch gradient descent fit y = w·x to your "
                "points, one epoch at a time.</p>"
            ).format(version=__version__),
        )

    @Slot(object, object)
    def _on_controller_started(self, dataset: Dataset, settings: RunSettings) -> None:
        line = settings.model == "line"
        self._arrange_panes(landscape=line)
        self.export_landscape_action.setEnabled(line)
        self._preset_input_follow(dataset, settings)

    def _preset_input_follow(self, dataset: Dataset, settings: RunSettings) -> None:
        """Name the preset on show, and mark it changed once the data or settings differ."""
        name = self.preset_input.current_name()
        preset = self._presets.get(name)
        if preset is None:
            try:
                preset = self._presets[name] = load_preset(name)
            except PresetError:
                return
        self.preset_input.set_modified(
            not (preset.dataset == dataset and preset.settings == settings)
        )

    @Slot(str)
    def _on_preset_input_failed(self, message: str) -> None:
        self._on_controller_problem(self.tr("Could not load the preset"), message)

    @Slot(bool)
    def _on_controller_racing_changed(self, racing: bool) -> None:
        self.race_button.setChecked(racing)  # its toggled signal finds the controller there
        self.race_button.setText(
            self.tr("End the race") if racing else self.tr("Race the pinned runs")
        )

    @Slot(int)
    def _on_controller_pins_changed(self, count: int) -> None:
        self.race_button.setEnabled(count > 0)

    @Slot(str, str)
    def _on_controller_problem(self, title: str, message: str) -> None:
        # Window-modal but not blocking: the run, the plots and the worker carry on.
        box = QMessageBox(QMessageBox.Icon.Warning, title, message, parent=self)
        box.setObjectName("problemMessage")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.controller.shutdown()
        super().closeEvent(event)
