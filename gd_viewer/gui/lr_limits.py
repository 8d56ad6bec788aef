"""The learning rate's limits for the current data: zones on a log axis, numbers, a best rate.

A step of full-batch gradient descent multiplies the error by ``1 − lr·λ`` (see
:mod:`gd_viewer.core.analysis`), so ``1/λ`` and ``2/λ`` split the lr axis into a monotone, an
oscillating and a diverging zone. Every number shown comes from :class:`Analysis`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TypeVar

from PySide6.QtCore import QEvent, QPointF, QRect, QSize, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QHelpEvent, QMouseEvent, QPainter, QPaintEvent, QPolygonF
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QToolTip, QVBoxLayout, QWidget

from gd_viewer.core.analysis import Analysis

MONOTONE, OSCILLATING, DIVERGES = "monotone", "oscillating", "diverges"
ZONES = (MONOTONE, OSCILLATING, DIVERGES)
#: Okabe–Ito sky blue, yellow, vermillion: told apart with any common colour vision, and by
#: lightness; the diverging zone is hatched as well, so it stands out even in grey.
ZONE_COLORS = dict(zip(ZONES, map(QColor, ("#56B4E9", "#F0E442", "#D55E00")), strict=True))
MARKER_COLOR = QColor("#000000")
NEUTRAL_COLOR = QColor("#D9D9D9")
_HATCH = QBrush(QColor("#7A3500"), Qt.BrushStyle.BDiagPattern)
_BAR_HEIGHT = 18
_W = TypeVar("_W", bound=QWidget)


def _short(value: float) -> str:
    return f"{value:.4g}"


def _zone(analysis: Analysis, lr: float) -> str | None:
    # The analysis decides, so the zones agree with the rest of the app to the last bit.
    if not (math.isfinite(lr) and lr > 0):
        return None
    if not analysis.converges(lr):
        return DIVERGES
    return OSCILLATING if analysis.oscillates(lr) else MONOTONE


class _ZoneBar(QWidget):
    """The lr axis (log scale) painted with the zones, their edges and the current lr."""

    lr_picked = Signal(float)

    def __init__(self) -> None:
        super().__init__()
        self._analysis: Analysis | None = None
        self._message, self._lr, self._decades = "", math.nan, (-4, 0)

    def set_state(self, analysis: Analysis | None, message: str, lr: float) -> None:
        self._analysis, self._message, self._lr = analysis, message, lr
        if analysis is not None:
            # Whole decades keep the tick labels round; 1.5+ decades left of 1/λ leave room for
            # small rates, 0.5+ right of 2/λ for its label and a stretch of divergence.
            low = math.floor(math.log10(analysis.one_step_rate) - 1.5)
            self._decades = (low, math.ceil(math.log10(analysis.stable_limit) + 0.5))
        self.update()

    def set_lr(self, lr: float) -> None:
        self._lr = lr
        self.update()

    def fraction(self, lr: float) -> float:
        """Where ``lr`` lies along the axis: 0 at the left end, 1 at the right (unclamped)."""
        low, high = self._decades
        return (math.log10(lr) - low) / (high - low) if lr > 0 else -math.inf

    def bar_rect(self) -> QRect:
        """The coloured bar, in widget coordinates."""
        metrics = self.fontMetrics()
        # Room for half of each end's tick label, and for the off-the-bar arrows.
        ends = max(metrics.horizontalAdvance(self._tick_label(k)) for k in self._decades)
        pad = max(ends // 2 + 2, 12)
        return QRect(pad, metrics.height() + 4, max(self.width() - 2 * pad, 1), _BAR_HEIGHT)

    def x_of(self, lr: float) -> float:
        """The x coordinate of ``lr``, clamped to the bar."""
        bar = self.bar_rect()
        return bar.left() + min(max(self.fraction(lr), 0.0), 1.0) * bar.width()

    def lr_at(self, x: float) -> float:
        """The lr at ``x``, clamped to the bar, to three significant digits as the slider."""
        bar, (low, high) = self.bar_rect(), self._decades
        fraction = min(max((x - bar.left()) / bar.width(), 0.0), 1.0)
        return float(f"{10.0 ** (low + fraction * (high - low)):.3g}")

    def edge_xs(self) -> tuple[int, int]:
        """Where the lines at 1/λ and 2/λ are painted (the first columns of their zones)."""
        assert self._analysis is not None
        a = self._analysis
        return round(self.x_of(a.one_step_rate)), round(self.x_of(a.stable_limit))

    def tool_tip_at(self, x: int) -> str:
        """What the zone painted at ``x`` means; empty off the bar."""
        bar, a = self.bar_rect(), self._analysis
        if a is None or not bar.left() <= x <= bar.right():
            return ""
        x1, x2 = self.edge_xs()
        if x < x1:
            text = self.tr("Monotone: 0 < lr ≤ 1/λ = {one}. Each epoch moves w part of the way "
                           "to the optimum, never past it.")  # fmt: skip
        elif x < x2:
            text = self.tr("Oscillating: {one} < lr < 2/λ = {two}. Each epoch jumps past the "
                           "optimum, by less each time: it converges, swinging.")  # fmt: skip
        else:
            text = self.tr("Diverges: lr ≥ 2/λ = {two}. Each epoch lands farther from the "
                           "optimum than it started.")  # fmt: skip
        text = text.format(one=_short(a.one_step_rate), two=_short(a.stable_limit))
        return text + "\n" + self.tr("Click or drag to pick a learning rate.")

    def sizeHint(self) -> QSize:
        return QSize(280, 3 * self.fontMetrics().height() + _BAR_HEIGHT + 22)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            text = self.tool_tip_at(event.pos().x())
            QToolTip.showText(event.globalPos(), text, self) if text else QToolTip.hideText()
            return True
        return super().event(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        # A press must land on the bar or the marker under it (not the legend); a drag may
        # then go anywhere, clamped to the ends.
        pressed = event.type() == QEvent.Type.MouseButtonPress
        off_bar = pressed and event.position().y() > self.bar_rect().bottom() + 10
        if self._analysis is None or off_bar or not event.buttons() & Qt.MouseButton.LeftButton:
            event.ignore()
            return
        lr = self.lr_at(event.position().x())
        if lr != self._lr:  # a drag across one rounded value emits it once
            self.set_lr(lr)
            self.lr_picked.emit(lr)

    mouseMoveEvent = mousePressEvent  # dragging picks too

    def paintEvent(self, event: QPaintEvent) -> None:
        painter, bar, metrics = QPainter(self), self.bar_rect(), self.fontMetrics()
        painter.setPen(self.palette().windowText().color())
        if self._analysis is None:
            painter.fillRect(bar, NEUTRAL_COLOR)
            text = metrics.elidedText(self._message, Qt.TextElideMode.ElideRight, bar.width() - 6)
            painter.drawText(bar, Qt.AlignmentFlag.AlignCenter, text)
            return
        (x1, x2), top, height = self.edge_xs(), bar.top(), bar.height()
        painter.fillRect(QRect(bar.left(), top, x1 - bar.left(), height), ZONE_COLORS[MONOTONE])
        painter.fillRect(QRect(x1, top, x2 - x1, height), ZONE_COLORS[OSCILLATING])
        diverging = QRect(x2, top, bar.right() + 1 - x2, height)
        painter.fillRect(diverging, ZONE_COLORS[DIVERGES])
        painter.fillRect(diverging, _HATCH)
        # 1/λ's value hangs left of its line and 2/λ's right of it: the zone between is narrow.
        edges = (_short(self._analysis.one_step_rate), _short(self._analysis.stable_limit))
        w1, w2 = (metrics.horizontalAdvance(text) for text in edges)
        right = min(x2 + 3, self.width() - w2)
        left = max(min(x1 - 3 - w1, right - 4 - w1), 0)
        for x, label_x, width, text in ((x1, left, w1, edges[0]), (x2, right, w2, edges[1])):
            painter.drawLine(x, 1, x, bar.bottom())
            painter.drawText(QRect(label_x, 0, width + 1, metrics.height()), 0, text)
        self._paint_ticks(painter, bar)
        self._paint_legend(painter, bar.bottom() + 15 + metrics.height())
        if math.isfinite(self._lr):
            self._paint_marker(painter, bar)

    def _paint_ticks(self, painter: QPainter, bar: QRect) -> None:
        metrics, (low, high) = self.fontMetrics(), self._decades
        widest = max(metrics.horizontalAdvance(self._tick_label(k)) for k in range(low, high + 1))
        per_decade = bar.width() / (high - low)
        step = max(1, math.ceil((widest + 8) / per_decade))  # labels must not touch
        for k in range(low, high + 1, step):
            x = round(bar.left() + (k - low) * per_decade)
            painter.drawLine(x, bar.bottom() + 1, x, bar.bottom() + 4)
            label = QRect(x - widest, bar.bottom() + 12, 2 * widest, metrics.height())
            painter.drawText(label, Qt.AlignmentFlag.AlignHCenter, self._tick_label(k))

    def _paint_legend(self, painter: QPainter, top: int) -> None:
        metrics, box = self.fontMetrics(), 10
        words = (self.tr("monotone"), self.tr("oscillating"), self.tr("diverges"))
        widths = [metrics.horizontalAdvance(word) + 2 for word in words]
        x = max((self.width() - sum(widths) - 3 * (box + 4) - 24) // 2, 0)
        for name, word, width in zip(ZONES, words, widths, strict=True):
            swatch = QRect(x, top + (metrics.height() - box) // 2, box, box)
            painter.fillRect(swatch, ZONE_COLORS[name])
            if name == DIVERGES:
                painter.fillRect(swatch, _HATCH)
            painter.drawRect(swatch.adjusted(0, 0, -1, -1))
            painter.drawText(QRect(x + box + 4, top, width, metrics.height()), 0, word)
            x += box + 4 + width + 12

    def _paint_marker(self, painter: QPainter, bar: QRect) -> None:
        x, y = round(self.x_of(self._lr)), bar.bottom() + 2
        # A white halo keeps the black line visible on every zone colour.
        painter.fillRect(QRect(x - 2, bar.top() - 3, 5, bar.height() + 6), Qt.GlobalColor.white)
        painter.fillRect(QRect(x - 1, bar.top() - 3, 3, bar.height() + 6), MARKER_COLOR)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(MARKER_COLOR)
        painter.drawPolygon(
            QPolygonF([QPointF(x, y), QPointF(x - 6, y + 8), QPointF(x + 6, y + 8)])
        )
        side = self.fraction(self._lr)
        if not 0.0 <= side <= 1.0:  # off the bar: an arrow says the lr lies further that way
            edge, sign = (bar.left() - 1, -1) if side < 0 else (bar.right() + 2, 1)
            tip, mid = QPointF(edge + sign * 9, bar.center().y()), bar.center().y()
            painter.drawPolygon(QPolygonF([tip, QPointF(edge, mid - 6), QPointF(edge, mid + 6)]))

    @staticmethod
    def _tick_label(exponent: int) -> str:
        return f"{10.0**exponent:g}" if -4 <= exponent <= 4 else f"1e{exponent}"


class LrLimits(QWidget):
    """The learning rate's limits for the current data, and where the current lr stands.

    A zone bar on a log lr axis (monotone up to 1/λ, oscillating up to 2/λ, diverging from
    there) with a marker at the current lr, a read-out of the numbers (exact values in its
    tooltip) and a "Best rate" button. Setters never emit.

    Signals
    -------
    lr_picked(float)
        The user clicked or dragged on the bar: the lr there, to three significant digits.
    best_rate_requested(float)
        The user clicked "Best rate": the constant rate that converges fastest.
    """

    lr_picked = Signal(float)
    best_rate_requested = Signal(float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._analysis: Analysis | None = None
        self._degenerate = False
        self._lr, self._tolerance = math.nan, 1e-6
        self._start: tuple[float, ...] = ()
        self._bar = _name(_ZoneBar(), "lrZoneBar", self.tr("Learning-rate zones, log scale"))
        self._bar.lr_picked.connect(self._on_bar_lr_picked)
        readout = QLabel(wordWrap=True, textFormat=Qt.TextFormat.PlainText)
        self._readout = _name(readout, "lrLimitsReadout", self.tr("Learning-rate limits"))
        readout.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._best = QPushButton(self.tr("Best rate"))
        self._best.setObjectName("bestRateButton")
        self._best.clicked.connect(self._on_best_clicked)
        row = QHBoxLayout()
        row.addWidget(self._best)
        row.addStretch()
        layout = QVBoxLayout(_name(self, "lrLimits", self.tr("Limits of the learning rate")))
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._bar)
        layout.addWidget(readout)
        layout.addLayout(row)
        self.set_analysis(None, math.nan, ())

    def set_analysis(
        self, analysis: Analysis | None, lr: float, start: Sequence[float], tolerance: float = 1e-6
    ) -> None:
        """Show the limits in ``analysis`` (None: the inputs are invalid) and mark ``lr``.

        The epochs to reach ``‖θ − θ*‖ ≤ tolerance`` are predicted from the initial parameters
        ``start``. Curvature 0 shows a message. A ``start`` that does not fit the optimum, or
        a ``tolerance`` that is not positive, raises ValueError (a programming error).
        """
        if not (math.isfinite(tolerance) and tolerance > 0):
            raise ValueError(f"the tolerance must be a positive number, not {tolerance!r}")
        if analysis is not None and not (
            len(start) == len(analysis.optimum) and all(map(math.isfinite, start))
        ):
            raise ValueError(f"start {tuple(start)!r} does not fit optimum {analysis.optimum!r}")
        # Curvature 0 (every x is 0), or so small that 2/λ overflows: no limits to show.
        self._degenerate = analysis is not None and not math.isfinite(analysis.stable_limit)
        self._analysis = None if self._degenerate else analysis
        self._start, self._tolerance, self._lr = tuple(start), tolerance, float(lr)
        rate = self._best_rate()
        self._best.setEnabled(rate is not None)
        tip = self.tr(
            "Set lr = {rate}: the constant rate that shrinks the error fastest. For y = w·x it "
            "is 1/curvature, which lands on the optimum in one step."
        )
        none = self.tr("No best rate: the inputs need fixing, or every x is 0.")
        self._best.setToolTip(none if rate is None else tip.format(rate=_short(rate)))
        message = self.tr("No limits: every x is 0") if self._degenerate else ""
        self._bar.set_state(self._analysis, message or self.tr("Fix the inputs"), self._lr)
        self._refresh_readout()

    def set_lr(self, lr: float) -> None:
        """Move the marker to ``lr`` and update the numbers that depend on it."""
        self._lr = float(lr)
        self._bar.set_lr(self._lr)
        self._refresh_readout()

    def text(self) -> str:
        """The read-out's plain text."""
        return self._readout.text()

    def zone_edges(self) -> tuple[float, float] | None:
        """``(1/curvature, 2/curvature)``, where the zones meet; None without zones."""
        a = self._analysis
        return None if a is None else (a.one_step_rate, a.stable_limit)

    def zone(self) -> str | None:
        """The current lr's zone: ``MONOTONE``, ``OSCILLATING``, ``DIVERGES`` or None."""
        return None if self._analysis is None else _zone(self._analysis, self._lr)

    def marker_fraction(self) -> float | None:
        """The marker's place along the bar, 0 … 1 (clamped at the ends); None if hidden."""
        if self._analysis is None or not math.isfinite(self._lr):
            return None
        return min(max(self._bar.fraction(self._lr), 0.0), 1.0)

    def _on_bar_lr_picked(self, lr: float) -> None:
        self.set_lr(lr)
        self.lr_picked.emit(lr)

    def _on_best_clicked(self) -> None:
        rate = self._best_rate()
        if rate is not None:
            self.best_rate_requested.emit(rate)

    def _best_rate(self) -> float | None:
        a = self._analysis
        if a is None:
            return None
        # A flat direction (λmin = 0) would put 2/(λmin + λmax) on the stable limit itself.
        return a.best_constant_rate if a.eigenvalues[0] > 0 else a.one_step_rate

    def _refresh_readout(self) -> None:
        a, lr = self._analysis, self._lr
        if a is None:
            self._readout.setToolTip("")
            flat = self.tr("The curvature is 0 (every x is 0): the gradient is always 0, so w "
                           "never moves, whatever the learning rate.")  # fmt: skip
            invalid = self.tr("Fix the inputs to see the limits of the learning rate.")
            self._readout.setText(flat if self._degenerate else invalid)
            return
        one = len(a.eigenvalues) == 1  # y = w·x; with two parameters λ is the largest
        lines = [
            (self.tr("Curvature λ") if one else self.tr("Largest curvature λ"), a.curvature),
            (self.tr("Stable limit 2/λ"), a.stable_limit),
            (self.tr("One-step rate 1/λ"), a.one_step_rate),
        ]
        text = [f"{label}: {_short(value)}" for label, value in lines]
        exact = [f"{label} = {value!r}" for label, value in lines]
        if not math.isfinite(lr):
            text.append(self.tr("lr {lr}: not a finite number").format(lr=lr))
        else:
            c, zone = a.contraction(lr), _zone(a, lr)
            epochs = a.epochs_to_tolerance(lr, self._start, self._tolerance)
            state = {
                MONOTONE: self.tr("converges, monotone"),
                OSCILLATING: self.tr("converges, oscillating"),
                DIVERGES: self.tr("diverges"),
            }.get(zone or "", self.tr("does not converge (lr ≤ 0)"))
            error = "|w − w*|" if one else "‖θ − θ*‖"
            count = f"{int(epochs):,}" if math.isfinite(epochs) else self.tr("never")
            text += [
                self.tr("Contraction |1 − lr·λ|: {c}").format(c=_short(c)),
                self.tr("lr {lr}: {state}").format(lr=f"{lr:g}", state=state),
                self.tr("Epochs to {error} ≤ {tol}: {count}").format(
                    error=error, tol=f"{self._tolerance:g}", count=count
                ),
            ]
            exact += [
                self.tr("Contraction per epoch = {c!r}").format(c=c),
                self.tr("Epochs = {n!r}, from {start} to {optimum}").format(
                    n=epochs, start=self._start, optimum=a.optimum
                ),
            ]
        self._readout.setText("\n".join(text))
        self._readout.setToolTip(self.tr("Exact values:") + "\n" + "\n".join(exact))


def _name(widget: _W, name: str, description: str) -> _W:
    widget.setObjectName(name)
    widget.setAccessibleName(description)
    return widget
