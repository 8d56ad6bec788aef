"""Number inputs: a float spin box that says what is wrong with a typed value, a log-scale
slider, and helpers that show numbers alike in spin boxes and tables."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Literal

from PySide6.QtCore import (
    QLocale,
    QModelIndex,
    QPersistentModelIndex,
    QRectF,
    QSignalBlocker,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QFocusEvent,
    QKeyEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QValidator,
)
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QDoubleSpinBox,
    QSlider,
    QSpinBox,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

#: A range rule: an error message for a value it refuses, None for a value it accepts.
Check = Callable[[float], str | None]
StepMode = Literal["linear", "log"]

#: Log mode steps along the grid 10**(k/4): four steps per decade, each a factor of about 1.78.
STEPS_PER_DECADE = 4
#: The invalid look: a red frame over the style's own, and a pale red background.
_INVALID_BORDER = QColor("#c62828")
_INVALID_BACKGROUND = QColor("#fdecea")
#: Numbers are right-aligned everywhere.
ALIGN_NUMBERS = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def format_number(value: float) -> str:
    """The shortest text that reads back as exactly ``value`` ("0.01", "1e-05", "1.5")."""
    return repr(float(value))


class NumberInput(QAbstractSpinBox):
    """A spin box for a float that accepts anything typed and explains a bad value.

    Typing is never blocked. After each edit the text is read with ``float()``
    ("0.01", "1e-3" and "-2.5" all work); a text that is not a finite number, or a
    value the ``check`` rule refuses, puts the box in an invalid state: a red border,
    the message as its tooltip, and the ``invalid`` signal. A valid text clears that
    and emits ``value_edited``. Escape goes back to the last valid value; Return
    and leaving the box rewrite a valid text in its shortest form ("1e-3" → "0.001").

    The arrow keys, the mouse wheel and the up/down buttons step the value. In
    ``"log"`` mode a step multiplies or divides by 10**(1/4) ≈ 1.78, landing on the
    grid 1, 1.78, 3.16, 5.62, 10 (three significant digits); in ``"linear"`` mode it
    adds or subtracts ``step``. A step the rule would refuse is disabled.

    Parameters
    ----------
    subject
        What the value is, capitalised, for messages: "The learning rate".
    check
        The range rule for finite values: returns an error message, or None.
    mode
        ``"log"`` or ``"linear"`` stepping.
    step
        The step of ``"linear"`` mode.
    value
        The starting value (shown as invalid if ``check`` refuses it).
    parent
        The parent widget.

    Signals
    -------
    value_edited(float)
        The user changed the text (typing, stepping, Escape) and it holds a valid value.
    invalid(str)
        The user changed the text and it does not hold a valid value; the message says why.
    """

    value_edited = Signal(float)
    invalid = Signal(str)

    def __init__(
        self,
        subject: str,
        check: Check,
        *,
        mode: StepMode = "linear",
        step: float = 1.0,
        value: float = 0.0,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._subject = subject
        self._check = check
        self._mode: StepMode = mode
        self._step = float(step)
        self._value = 0.0
        self._error = ""
        self._hint = ""
        self.setProperty("invalid", False)
        self.setAccelerated(True)
        self.setAlignment(ALIGN_NUMBERS)
        self.set_value(value)
        self.lineEdit().textEdited.connect(self._on_line_edit_text_edited)
        self.editingFinished.connect(self._on_self_editing_finished)

    # ------------------------------------------------------------------ public API

    def value(self) -> float:
        """The last valid value (kept while the text is invalid)."""
        return self._value

    def set_value(self, value: float) -> None:
        """Show ``value`` in its shortest form, without emitting.

        A value the rule refuses is shown as invalid, with its message, and
        :meth:`value` keeps the last valid one.
        """
        with QSignalBlocker(self):
            text = format_number(value)
            self.lineEdit().setText(text)
            parsed, error = self._parse(text)
            if not error:
                self._value = parsed
            self._set_error(error)

    def is_valid(self) -> bool:
        """Whether the text holds a valid value."""
        return not self._error

    def error(self) -> str:
        """Why the text is not valid; empty when it is."""
        return self._error

    def set_hint(self, hint: str) -> None:
        """The tooltip shown while the value is valid (an error message replaces it)."""
        self._hint = hint
        if not self._error:
            self.setToolTip(hint)

    # ------------------------------------------------------------ QAbstractSpinBox

    def validate(self, text: str, pos: int) -> tuple[QValidator.State, str, int]:
        # Anything may be typed: a bad value is explained, never silently refused.
        return QValidator.State.Acceptable, text, pos

    def stepEnabled(self) -> QAbstractSpinBox.StepEnabledFlag:
        flags = QAbstractSpinBox.StepEnabledFlag.StepNone
        if self.isReadOnly():
            return flags
        if self._stepped(1) is not None:
            flags |= QAbstractSpinBox.StepEnabledFlag.StepUpEnabled
        if self._stepped(-1) is not None:
            flags |= QAbstractSpinBox.StepEnabledFlag.StepDownEnabled
        return flags

    def stepBy(self, steps: int) -> None:
        value = self._stepped(steps)
        if value is None:
            return
        self._value = value
        self.lineEdit().setText(format_number(value))
        self._set_error("")
        if self.hasFocus():
            self.selectAll()
        self.value_edited.emit(value)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and self._revert():
            event.accept()
            return
        super().keyPressEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if self._error:
            painter = QPainter(self)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(QPen(_INVALID_BORDER, 2))
            painter.drawRoundedRect(QRectF(self.rect()).adjusted(1, 1, -1, -1), 3, 3)

    def sizeHint(self) -> QSize:
        return self._widened(super().sizeHint())

    def minimumSizeHint(self) -> QSize:
        return self._widened(super().minimumSizeHint())

    # ------------------------------------------------------------------ handlers

    def _on_line_edit_text_edited(self, text: str) -> None:
        value, error = self._parse(text)
        self._set_error(error)
        if error:
            self.invalid.emit(error)
            return
        self._value = value
        self.value_edited.emit(value)

    def _on_self_editing_finished(self) -> None:
        if not self._error:
            self.lineEdit().setText(format_number(self._value))

    # ------------------------------------------------------------------ internals

    def _parse(self, text: str) -> tuple[float, str]:
        """The value of ``text`` and an empty string, or NaN and the message."""
        stripped = text.strip()
        try:
            value = float(stripped)
        except ValueError:
            value = math.nan
            message = self.tr("{subject} must be a number, not '{text}'.")
        else:
            message = self.tr("{subject} must be a finite number, not '{text}'.")
        if not stripped:
            message = self.tr("{subject} is empty: type a number.")
        elif math.isfinite(value):
            return value, self._check(value) or ""
        return math.nan, message.format(subject=self._subject, text=stripped)

    def _stepped(self, steps: int) -> float | None:
        """The value ``steps`` steps from the current one, or None if the rule refuses it."""
        if steps == 0:
            return None
        if self._mode == "log":
            value = _log_step(self._value, steps)
        else:
            value = float(f"{self._value + steps * self._step:.12g}")
        if value is None or not math.isfinite(value) or value == self._value:
            return None
        return value if self._check(value) is None else None

    def _revert(self) -> bool:
        """Escape: back to the last valid value. False when there was nothing to undo."""
        text = format_number(self._value)
        if not self._error and self.lineEdit().text() == text:
            return False
        was_invalid = bool(self._error)
        self.lineEdit().setText(text)
        self._set_error("")
        if was_invalid:
            self.value_edited.emit(self._value)
        return True

    def _set_error(self, error: str) -> None:
        if error == self._error and self.property("invalid") == bool(error):
            return
        self._error = error
        # A property for application style sheets; the look itself is painted here, since a
        # style sheet border on a spin box makes Qt draw crude up/down buttons.
        self.setProperty("invalid", bool(error))
        palette = QPalette()  # no role set: everything inherited again
        if error:
            palette.setColor(QPalette.ColorRole.Base, _INVALID_BACKGROUND)
        self.setPalette(palette)
        self.setToolTip(error or self._hint)
        self.update()

    def _widened(self, size: QSize) -> QSize:
        # QAbstractSpinBox sizes itself from textFromValue, which this class does not use.
        sample = self.fontMetrics().horizontalAdvance("-0.000123456")
        return QSize(size.width() + sample, size.height())


def _log_step(value: float, steps: int) -> float | None:
    """Move ``steps`` points along the grid 10**(k/4), rounded to three significant digits.

    A value on the grid (to the three digits shown) moves by whole steps; a value
    between grid points first moves to the neighbouring one in the step's direction.
    """
    if value <= 0:
        return None
    position = math.log10(value) * STEPS_PER_DECADE
    try:
        if _grid_value(round(position)) == float(f"{value:.3g}"):
            return _grid_value(round(position) + steps)
        return _grid_value((math.floor if steps > 0 else math.ceil)(position) + steps)
    except OverflowError:  # beyond the largest float
        return None


def _grid_value(k: int) -> float:
    return float(f"{10.0 ** (k / STEPS_PER_DECADE):.3g}")


def group_digits(box: QSpinBox | QDoubleSpinBox) -> None:
    """Right-align ``box`` and show "1,000,000", even in the C locale (which omits them)."""
    box.setAlignment(ALIGN_NUMBERS)
    locale = QLocale(box.locale())
    locale.setNumberOptions(locale.numberOptions() & ~QLocale.NumberOption.OmitGroupSeparator)
    box.setLocale(locale)
    box.setGroupSeparatorShown(True)


class LogSlider(QSlider):
    """A horizontal slider for a positive number on a log scale, 10**low … 10**high.

    Signals
    -------
    number_edited(float)
        The user moved the slider; the number it points at, to three significant digits.
    """

    number_edited = Signal(float)

    def __init__(self, low: int, high: int, ticks_per_decade: int = 100) -> None:
        super().__init__(Qt.Orientation.Horizontal)
        self._low, self._ticks = low, ticks_per_decade
        self.setRange(0, (high - low) * ticks_per_decade)
        self.setPageStep(ticks_per_decade // 4)
        self.setTickPosition(QSlider.TickPosition.TicksBelow)
        self.setTickInterval(ticks_per_decade)  # a tick mark at each power of ten
        self.valueChanged.connect(self._on_self_value_changed)

    def number(self) -> float:
        """The number the slider points at, to three significant digits."""
        return float(f"{10.0 ** (self._low + self.value() / self._ticks):.3g}")

    def set_number(self, number: float) -> None:
        """Point at ``number`` without emitting; beyond an end, pinned at that end."""
        position = (math.log10(number) - self._low) * self._ticks if number > 0 else 0
        with QSignalBlocker(self):
            self.setValue(min(max(round(position), 0), self.maximum()))

    def _on_self_value_changed(self, position: int) -> None:
        self.number_edited.emit(self.number())


class NumberDelegate(QStyledItemDelegate):
    """Shows an item view's cells right-aligned: cheaper than an alignment on every item."""

    def initStyleOption(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        super().initStyleOption(option, index)
        option.displayAlignment = ALIGN_NUMBERS


class WholeNumberInput(NumberInput):
    """A :class:`NumberInput` whose valid values are shown without a fraction ("32", not
    "32.0"); ``check`` decides which values are whole enough."""

    def set_value(self, value: float) -> None:
        super().set_value(value)
        self._show_whole()

    def stepBy(self, steps: int) -> None:
        super().stepBy(steps)
        self._show_whole()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        super().keyPressEvent(event)
        if event.key() in (Qt.Key.Key_Escape, Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._show_whole()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self._show_whole()

    def _show_whole(self) -> None:
        value = self.value()
        if self.is_valid() and value.is_integer() and self.lineEdit().text() != str(int(value)):
            self.lineEdit().setText(str(int(value)))  # textEdited is for the user's typing only
