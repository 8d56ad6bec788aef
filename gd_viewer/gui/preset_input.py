"""The presets' input: a combo box of the shipped presets, a Load button, and the chosen
preset's note for students."""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from gd_viewer.core.presets import DEFAULT_PRESET, Preset, PresetError, load_preset, preset_names
from gd_viewer.gui.eliding_combo import ElidingComboBox
from gd_viewer.gui.wheel_guard import WheelNeedsFocus

_SHRINKABLE = QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
_W = TypeVar("_W", bound=QWidget)
#: Lines of the description in sight (it scrolls for more).
DESCRIPTION_LINES = 5


class PresetInput(QWidget):
    """Choose a preset (a data set with the settings to run on it) and read its note.

    The combo box lists every preset that loads, by title, the tutorial first; each
    item's tooltip is the preset's description, which the label below also shows for the
    chosen preset. The combo box shows the preset last loaded; once the window calls
    ``set_modified(True)`` (the user edited the data or a setting since) its text starts
    with "(changed)" (in front, where a narrow box still shows it). Choosing a preset in
    the combo box (even the one shown) or pressing Load reads its file again and emits
    :attr:`preset_chosen`; the window then loads it.

    Preset files that cannot be read when the widget is built are left out of the list;
    :meth:`load_errors` gives their messages. A file that cannot be read when chosen emits
    :attr:`failed`, and the widget keeps showing what it showed before.

    Setters never emit.

    Signals
    -------
    preset_chosen(Preset)
        The user chose a preset or pressed Load: the preset, just read from its file.
    failed(str)
        The preset the user chose could not be loaded: the message, which names the file.
    """

    preset_chosen = Signal(object)
    failed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        _name(self, "presetPanel", self.tr("Presets"))
        self._titles: dict[str, str] = {}  # name → title, as last read
        self._index = -1  # the combo's item of the preset last loaded (or set)
        self._modified = False
        self._errors: list[str] = []
        self._build()
        self._fill()

    # ------------------------------------------------------------------ public API

    def current_name(self) -> str:
        """The name of the preset shown (``"tutorial"``); "" if no preset could be listed."""
        return str(self._combo.itemData(self._index)) if self._index >= 0 else ""

    def set_current(self, name: str) -> None:
        """Show the preset called ``name`` as the one loaded, unchanged, with its description,
        without emitting.

        Raises
        ------
        ValueError
            If no listed preset is called ``name``.
        """
        index = self._combo.findData(name)
        if index < 0:
            raise ValueError(f"unknown preset {name!r}; the presets are: {self._names()}")
        self._show(index)

    def is_modified(self) -> bool:
        """Whether the user changed something since the preset shown was loaded."""
        return self._modified

    def set_modified(self, modified: bool) -> None:
        """Mark the preset shown as changed since it was loaded ("(changed) …"), or not."""
        self._modified = modified
        self._show_title(self._index)

    def load_errors(self) -> list[str]:
        """The messages of the preset files left out of the list (empty if none)."""
        return list(self._errors)

    # ------------------------------------------------------------------ building

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)

        combo = self._combo = _name(ElidingComboBox(), "presetInput", self.tr("Preset"))
        combo.setToolTip(self.tr("Choose a preset to load its data and run settings in place "
                                 "of the current ones."))  # fmt: skip
        # Long titles are cut short rather than widen a narrow panel; tooltips say all.
        combo.setSizeAdjustPolicy(_SHRINKABLE)
        combo.setMinimumContentsLength(12)
        # activated, not currentIndexChanged: choosing the preset shown loads it again.
        combo.activated.connect(self._on_combo_activated)

        load = self._load_button = _name(
            QPushButton(self.tr("Load")), "presetLoadButton", self.tr("Load the preset")
        )
        load.setToolTip(self.tr("Load the chosen preset again, undoing every change made "
                                "since it was loaded."))  # fmt: skip
        load.clicked.connect(self._on_load_button_clicked)

        description = self._description = _name(
            QLabel(), "presetDescription", self.tr("Preset description")
        )
        description.setTextFormat(Qt.TextFormat.PlainText)
        description.setWordWrap(True)
        description.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )

        row.addWidget(combo, 1)
        row.addWidget(load)
        layout.addLayout(row)
        # A paragraph: a few lines high, scrolled, so the inputs below stay in sight.
        area = QScrollArea()
        area.setWidget(description)
        area.setWidgetResizable(True)
        area.setFrameShape(QFrame.Shape.NoFrame)
        area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        area.setMaximumHeight(DESCRIPTION_LINES * description.fontMetrics().lineSpacing() + 4)
        layout.addWidget(area)
        # The wheel over the box must not load a preset while the panel scrolls.
        self._wheel_guard = WheelNeedsFocus(self)
        self._wheel_guard.guard(combo)

    def _fill(self) -> None:
        """List every preset that loads, the tutorial first; keep the others' messages."""
        presets: list[Preset] = []
        try:
            names = preset_names()
        except PresetError as error:  # the folder is missing or cannot be listed
            self._errors.append(str(error))
            names = []
        for name in names:
            # list_presets() would raise at the first broken file; each is tried alone.
            try:
                presets.append(load_preset(name))
            except PresetError as error:
                self._errors.append(str(error))
        presets.sort(key=lambda preset: preset.name != DEFAULT_PRESET)  # stable: order kept
        for preset in presets:
            self._combo.addItem(preset.title, preset.name)
            self._titles[preset.name] = preset.title
            self._set_description(self._combo.count() - 1, preset.description)
        self._load_button.setEnabled(bool(presets))
        if presets:
            default = self._combo.findData(DEFAULT_PRESET)
            self._show(max(default, 0))

    # ------------------------------------------------------------------ handlers

    def _on_combo_activated(self, index: int) -> None:
        self._load(index)

    def _on_load_button_clicked(self) -> None:
        self._load(self._index)

    # ------------------------------------------------------------------ internals

    def _load(self, index: int) -> None:
        """Read the preset of item ``index`` again; show and emit it, or emit the error and
        show again what was shown."""
        if index < 0:
            return
        name = str(self._combo.itemData(index))
        try:
            preset = load_preset(name)
        except PresetError as error:
            with QSignalBlocker(self._combo):
                self._combo.setCurrentIndex(self._index)
            self.failed.emit(str(error))
            return
        # The file may have changed since it was listed: show what was just read.
        self._titles[name] = preset.title
        self._set_description(index, preset.description)
        self._show(index)
        self.preset_chosen.emit(preset)

    def _show(self, index: int) -> None:
        """Show item ``index`` as the preset loaded, unchanged."""
        previous = self._index
        self._index = index
        self._modified = False
        self._show_title(previous)
        self._show_title(index)
        with QSignalBlocker(self._combo):
            self._combo.setCurrentIndex(index)
        self._description.setText(self._description_of(index))

    def _show_title(self, index: int) -> None:
        """Give item ``index`` its title, after "(changed)" if it is the modified current one
        (in front: a long title is cut short at its end in a narrow box)."""
        if index < 0:
            return
        title = self._titles[str(self._combo.itemData(index))]
        if index == self._index and self._modified:
            title = self.tr("(changed) {title}").format(title=title)
        self._combo.setItemText(index, title)

    def _set_description(self, index: int, description: str) -> None:
        self._combo.setItemData(index, description, Qt.ItemDataRole.ToolTipRole)
        if index == self._index:
            self._description.setText(description)

    def _description_of(self, index: int) -> str:
        return str(self._combo.itemData(index, Qt.ItemDataRole.ToolTipRole) or "")

    def _names(self) -> str:
        names = [str(self._combo.itemData(i)) for i in range(self._combo.count())]
        return ", ".join(names) or "none"


def _name(widget: _W, name: str, description: str) -> _W:
    widget.setObjectName(name)
    widget.setAccessibleName(description)
    return widget
