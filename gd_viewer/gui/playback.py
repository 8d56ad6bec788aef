"""The playback bar: step, play, pause, reset, and a timeline of the epochs."""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import QEvent, QRect, QSignalBlocker, Qt, Signal
from PySide6.QtGui import QBrush, QIcon, QPaintEvent, QPalette, QResizeEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QSlider,
    QStyle,
    QStyleOptionSlider,
    QStylePainter,
    QToolButton,
    QWidget,
)

_W = TypeVar("_W", bound=QWidget)
#: The timeline is given at least this many pixels: in a narrow window the buttons show
#: their icons only (their names stay in the tooltips) rather than squeeze it.
MIN_TIMELINE_WIDTH = 160
_SLIDER = QStyle.ComplexControl.CC_Slider


class PlaybackBar(QWidget):
    """Buttons and a timeline that move the playhead (the epoch on show) through a run.

    The bar shows ``epoch / total`` and lets the user reach only the epochs computed
    so far: the timeline draws the rest hatched, and a drag beyond them snaps back to
    the last computed epoch. Step is disabled at the last epoch and Step back at
    epoch 0. The keyboard shortcuts shown in the tooltips (Space, →, ←, Home) are
    installed by the main window, not here.

    Setters never emit.

    Signals
    -------
    play_toggled(bool)
        The user pressed Play (True) or Pause (False).
    step_requested()
        The user asked for one epoch forward.
    step_back_requested()
        The user asked for one epoch back.
    reset_requested()
        The user asked to go back to epoch 0.
    epoch_scrubbed(int)
        The user moved the timeline to this epoch (already clamped to the computed ones).
    """

    play_toggled = Signal(bool)
    step_requested = Signal()
    step_back_requested = Signal()
    reset_requested = Signal()
    epoch_scrubbed = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        _name(self, "playbackBar", self.tr("Playback"))
        self._total = 0
        self._computed = 0
        self._epoch = 0
        self._controls_enabled = True
        self._named_width = 0  # of the buttons with their names, and the spaces between
        pixmap = QStyle.StandardPixmap
        self._reset_button = self._button(
            "resetButton",
            self.tr("Reset"),
            self.tr("Back to epoch 0 (Home)"),
            pixmap.SP_MediaSkipBackward,
        )
        self._step_back_button = self._button(
            "stepBackButton",
            self.tr("Step back"),
            self.tr("One epoch back (←)"),
            pixmap.SP_MediaSeekBackward,
        )
        self._icons: dict[QStyle.StandardPixmap, QIcon] = {}
        self._play_button = self._button(
            "playButton", self.tr("Play"), self.tr("Play (Space)"), pixmap.SP_MediaPlay
        )
        self._play_button.setCheckable(True)
        self._step_button = self._button(
            "stepButton",
            self.tr("Step"),
            self.tr("One epoch forward (→)"),
            pixmap.SP_MediaSeekForward,
        )
        self._reset_button.clicked.connect(self._on_reset_button_clicked)
        self._step_back_button.clicked.connect(self._on_step_back_button_clicked)
        self._play_button.clicked.connect(self._on_play_button_clicked)
        self._step_button.clicked.connect(self._on_step_button_clicked)

        self._timeline = _name(_Timeline(), "timeline", self.tr("Timeline: the epoch on show"))
        self._timeline.valueChanged.connect(self._on_timeline_value_changed)
        self._label = _name(QLabel(), "epochLabel", self.tr("Epoch on show"))
        self._label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

        layout = self._layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        for button in self._buttons():
            layout.addWidget(button)
        layout.addWidget(self._timeline, stretch=1)
        layout.addWidget(self._label)
        self._update()

    def compact(self) -> bool:
        """Whether the buttons show their icons only (the bar is too narrow for names)."""
        return self._play_button.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonIconOnly

    # ------------------------------------------------------------------ public API

    def set_epoch_count(self, total: int) -> None:
        """The run's number of epochs: the timeline spans 0 … ``total``."""
        self._total = max(int(total), 0)
        self._computed = min(self._computed, self._total)
        self._epoch = min(self._epoch, self._total)
        with QSignalBlocker(self._timeline):
            self._timeline.setRange(0, self._total)
            self._timeline.setPageStep(max(self._total // 10, 1))
            self._timeline.setValue(self._epoch)
        # As wide as the longest text of this run, so the timeline keeps still while playing.
        widest = self._epoch_text(self._total, self._total)
        self._label.setMinimumWidth(self._label.fontMetrics().horizontalAdvance(widest) + 4)
        self._update()

    def set_computed(self, epochs_done: int) -> None:
        """How many epochs are computed: the timeline reaches 0 … ``epochs_done``.

        The playhead does not move; the caller moves it with :meth:`set_epoch`.
        """
        self._computed = min(max(int(epochs_done), 0), self._total)
        self._update()

    def set_epoch(self, epoch: int) -> None:
        """Show ``epoch`` (clamped to 0 … total) on the timeline and the label."""
        self._epoch = min(max(int(epoch), 0), self._total)
        with QSignalBlocker(self._timeline):
            self._timeline.setValue(self._epoch)
        self._update()

    def set_playing(self, playing: bool) -> None:
        """Show Play (False) or Pause (True) without emitting ``play_toggled``."""
        with QSignalBlocker(self._play_button):
            self._play_button.setChecked(playing)
        self._show_play_state()

    def set_controls_enabled(self, enabled: bool) -> None:
        """Enable or disable Play and Step (disabled while the inputs are invalid)."""
        self._controls_enabled = enabled
        self._update()

    # ------------------------------------------------------------------ handlers

    def _on_reset_button_clicked(self) -> None:
        self.reset_requested.emit()

    def _on_step_back_button_clicked(self) -> None:
        self.step_back_requested.emit()

    def _on_play_button_clicked(self, checked: bool) -> None:
        self._show_play_state()
        self.play_toggled.emit(checked)

    def _on_step_button_clicked(self) -> None:
        self.step_requested.emit()

    def _on_timeline_value_changed(self, value: int) -> None:
        if value > self._computed:  # not computed yet: snap back to the last computed epoch
            value = self._computed
            with QSignalBlocker(self._timeline):
                self._timeline.setValue(value)
        if value == self._epoch:
            return
        self._epoch = value
        self._update()
        self.epoch_scrubbed.emit(value)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.StyleChange:  # the new style's icons
            self._icons.clear()
            self._show_play_state()
        if event.type() in (QEvent.Type.StyleChange, QEvent.Type.FontChange):
            self._named_width = 0  # measured anew
            self._fit_buttons(self.width())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_buttons(event.size().width())

    def _fit_buttons(self, width: int) -> None:
        """Names beside the icons where they leave the timeline ``MIN_TIMELINE_WIDTH``."""
        named = Qt.ToolButtonStyle.ToolButtonTextBesideIcon
        buttons = self._buttons()
        if not self._named_width:
            was = self._play_button.toolButtonStyle()
            for button in buttons:  # (measured with their names)
                button.setToolButtonStyle(named)
            spacing = self._layout.spacing()
            margins = self._layout.contentsMargins()
            self._named_width = (
                sum(button.sizeHint().width() + spacing for button in buttons)
                + margins.left()
                + margins.right()
            )
            for button in buttons:
                button.setToolButtonStyle(was)
        label = max(self._label.sizeHint().width(), self._label.minimumWidth())
        room = width - label - self._layout.spacing()
        style = named if room >= self._named_width + MIN_TIMELINE_WIDTH else None
        style = style or Qt.ToolButtonStyle.ToolButtonIconOnly
        if self._play_button.toolButtonStyle() != style:
            for button in buttons:
                button.setToolButtonStyle(style)

    def _buttons(self) -> tuple[QToolButton, ...]:
        return (self._reset_button, self._step_back_button, self._play_button, self._step_button)

    # ------------------------------------------------------------------ internals

    def _button(self, name: str, text: str, tip: str, icon: QStyle.StandardPixmap) -> QToolButton:
        button = _name(QToolButton(), name, tip)
        button.setText(text)
        button.setToolTip(tip)
        button.setIcon(self.style().standardIcon(icon))
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        return button

    def _epoch_text(self, epoch: int, total: int) -> str:
        return self.tr("epoch {epoch} / {total}").format(epoch=f"{epoch:,}", total=f"{total:,}")

    def _show_play_state(self) -> None:
        """Play or Pause, as the button's checked state says (only on a change: not per frame)."""
        playing = self._play_button.isChecked()
        pixmap = (
            QStyle.StandardPixmap.SP_MediaPause if playing else QStyle.StandardPixmap.SP_MediaPlay
        )
        icon = self._icons.get(pixmap)
        if icon is None:  # (the style draws it anew for each ask)
            icon = self._icons[pixmap] = self.style().standardIcon(pixmap)
        self._play_button.setIcon(icon)
        self._play_button.setText(self.tr("Pause") if playing else self.tr("Play"))
        self._play_button.setToolTip(
            self.tr("Pause (Space)") if playing else self.tr("Play (Space)")
        )

    def _update(self) -> None:
        self._play_button.setEnabled(self._controls_enabled and self._total > 0)
        self._step_button.setEnabled(self._controls_enabled and self._epoch < self._total)
        self._step_back_button.setEnabled(self._epoch > 0)
        self._timeline.setEnabled(self._total > 0)
        self._timeline.set_computed(self._computed)
        tip = self.tr("Drag to show any computed epoch ({computed} of {total} computed).")
        self._timeline.setToolTip(
            tip.format(computed=f"{self._computed:,}", total=f"{self._total:,}")
        )
        self._label.setText(self._epoch_text(self._epoch, self._total))


class _Timeline(QSlider):
    """A horizontal slider that hatches the part of its groove not computed yet."""

    def __init__(self) -> None:
        super().__init__(Qt.Orientation.Horizontal)
        self._computed = 0

    def set_computed(self, computed: int) -> None:
        if computed != self._computed:
            self._computed = computed
            self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        # QSlider paints groove and handle in one call; split it to hatch in between.
        painter = QStylePainter(self)
        option = QStyleOptionSlider()
        self.initStyleOption(option)
        option.subControls = QStyle.SubControl.SC_SliderGroove
        painter.drawComplexControl(_SLIDER, option)
        if self._computed < self.maximum():
            style = self.style()
            groove = style.subControlRect(_SLIDER, option, QStyle.SubControl.SC_SliderGroove, self)
            handle = style.subControlRect(_SLIDER, option, QStyle.SubControl.SC_SliderHandle, self)
            span = groove.width() - handle.width()
            offset = QStyle.sliderPositionFromValue(
                self.minimum(), self.maximum(), self._computed, span
            )
            left = groove.left() + handle.width() // 2 + offset
            height = max(groove.height(), handle.height() // 2)
            top = groove.center().y() - height // 2
            color = self.palette().color(QPalette.ColorRole.Dark)
            painter.fillRect(
                QRect(left, top, groove.right() - left, height),
                QBrush(color, Qt.BrushStyle.BDiagPattern),
            )
        option.subControls = QStyle.SubControl.SC_SliderHandle
        painter.drawComplexControl(_SLIDER, option)


def _name(widget: _W, name: str, description: str) -> _W:
    widget.setObjectName(name)
    widget.setAccessibleName(description)
    return widget
