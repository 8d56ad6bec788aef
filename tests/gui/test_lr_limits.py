"""The learning-rate limits widget, driven offscreen: setters in, text, pixels and signals out."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterator
from itertools import pairwise

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, QRect, Qt
from PySide6.QtGui import QColor, QHelpEvent, QImage, QMouseEvent
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QToolTip, QWidget
from pytestqt.qtbot import QtBot

from gd_viewer.core.analysis import Analysis
from gd_viewer.core.data import Dataset
from gd_viewer.core.models import get_model
from gd_viewer.gui.lr_limits import (
    DIVERGES,
    MARKER_COLOR,
    MONOTONE,
    NEUTRAL_COLOR,
    OSCILLATING,
    ZONE_COLORS,
    LrLimits,
)
from tests.gui.widgets import child

pytestmark = pytest.mark.gui

TUTORIAL = Analysis.of(get_model("origin").quadratic(Dataset.tutorial()))
FLAT = Analysis.of(get_model("origin").quadratic(Dataset([0.0, 0.0], [1.0, 2.0])))
#: The tutorial's bar spans 10**-3 … 10**0: 1/λ = 0.107 lies 1.5+ decades from the left end.
LOW, HIGH = -3, 0


@pytest.fixture
def limits(qtbot: QtBot) -> Iterator[LrLimits]:
    widget = LrLimits()
    qtbot.addWidget(widget)
    widget.set_analysis(TUTORIAL, 0.01, (1.0,))
    widget.resize(280, widget.sizeHint().height())
    widget.show()
    qtbot.waitExposed(widget)
    yield widget


def readout(widget: LrLimits) -> dict[str, str]:
    """The read-out's lines as ``{label: value}``."""
    return dict(line.split(": ", 1) for line in widget.text().splitlines())


def exact_values(widget: LrLimits) -> dict[str, str]:
    """The read-out tooltip's ``label = value`` lines."""
    label = child(widget, QLabel, "lrLimitsReadout")
    lines = label.toolTip().splitlines()[1:]
    return dict(line.split(" = ", 1) for line in lines)


def image_of(widget: QWidget) -> QImage:
    return widget.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)


def bar_rect(widget: LrLimits) -> QRect:
    """The painted bar, in the coordinates of ``widget``'s own grab."""
    bar = child(widget, QWidget, "lrZoneBar")
    rect: QRect = bar.bar_rect()
    return rect.translated(bar.pos())


def x_of(widget: LrLimits, lr: float) -> int:
    bar = child(widget, QWidget, "lrZoneBar")
    x: float = bar.x_of(lr)
    return round(x) + int(bar.x())


def colours(image: QImage, left: int, right: int, rect: QRect) -> Counter[str]:
    """How often each colour occurs in the columns ``left`` … ``right - 1`` of ``rect``."""
    return Counter(
        image.pixelColor(x, y).name()
        for x in range(left, right)
        for y in range(rect.top(), rect.bottom() + 1)
    )


# ------------------------------------------------------------------------------ numbers


def test_names_its_parts(limits: LrLimits) -> None:
    assert limits.objectName() == "lrLimits"
    assert child(limits, QPushButton, "bestRateButton").isEnabled()
    assert child(limits, QLabel, "lrLimitsReadout").text() == limits.text()


def test_the_read_out_shows_the_analysis_of_the_tutorial(limits: LrLimits) -> None:
    lines = readout(limits)
    shown = {
        "Curvature λ": TUTORIAL.curvature,
        "Stable limit 2/λ": TUTORIAL.stable_limit,
        "One-step rate 1/λ": TUTORIAL.one_step_rate,
        "Contraction |1 − lr·λ|": TUTORIAL.contraction(0.01),
    }
    for label, value in shown.items():
        assert float(lines[label]) == float(f"{value:.4g}"), label
    assert [lines[k] for k in shown] == ["9.333", "0.2143", "0.1071", "0.9067"]
    assert TUTORIAL.stable_limit == 3 / 14 and TUTORIAL.one_step_rate == 3 / 28
    assert lines["lr 0.01"] == "converges, monotone"
    epochs = TUTORIAL.epochs_to_tolerance(0.01, (1.0,), 1e-6)
    assert int(lines["Epochs to |w − w*| ≤ 1e-06"]) == epochs == 142
    # (1 − 0.01·28/3)**142 · |1 − 2| ≤ 1e-6 < (…)**141: the prediction is the first such epoch.
    assert (1 - 0.01 * 28 / 3) ** 142 <= 1e-6 < (1 - 0.01 * 28 / 3) ** 141


def test_the_tooltip_holds_the_exact_values(limits: LrLimits) -> None:
    exact = exact_values(limits)
    assert float(exact["Curvature λ"]) == TUTORIAL.curvature
    assert float(exact["Stable limit 2/λ"]) == 3 / 14
    assert float(exact["One-step rate 1/λ"]) == 3 / 28
    assert float(exact["Contraction per epoch"]) == TUTORIAL.contraction(0.01)


def test_a_tolerance_and_start_change_the_predicted_epochs(limits: LrLimits) -> None:
    limits.set_analysis(TUTORIAL, 0.01, (3.0,), tolerance=1e-3)
    lines = readout(limits)
    assert int(lines["Epochs to |w − w*| ≤ 0.001"]) == 71  # |1 − 2|·0.90667**71 < 1e-3
    limits.set_analysis(TUTORIAL, 0.01, (2.0,))
    assert readout(limits)["Epochs to |w − w*| ≤ 1e-06"] == "0"  # starts at the optimum
    with pytest.raises(ValueError):
        limits.set_analysis(TUTORIAL, 0.01, (1.0, 0.0))  # one parameter, two starts
    with pytest.raises(ValueError):
        limits.set_analysis(TUTORIAL, 0.01, (1.0,), tolerance=0.0)


def test_the_zone_edges_are_one_and_two_over_the_curvature(limits: LrLimits) -> None:
    assert limits.zone_edges() == (1 / TUTORIAL.curvature, 2 / TUTORIAL.curvature)
    assert limits.zone_edges() == (3 / 28, 3 / 14)


@pytest.mark.parametrize(
    ("lr", "zone", "state", "epochs"),
    [
        (0.01, MONOTONE, "converges, monotone", "142"),
        (0.15, OSCILLATING, "converges, oscillating", "16"),
        (0.25, DIVERGES, "diverges", "never"),
        (3 / 14, DIVERGES, "diverges", "never"),  # the limit itself does not converge
        (3 / 28, MONOTONE, "converges, monotone", "1"),  # one step lands on w* = 2
    ],
)
def test_the_marker_and_the_zone_follow_the_lr(
    qtbot: QtBot, limits: LrLimits, lr: float, zone: str, state: str, epochs: str
) -> None:
    with (
        qtbot.assertNotEmitted(limits.lr_picked),
        qtbot.assertNotEmitted(limits.best_rate_requested),
    ):
        limits.set_lr(lr)
    assert limits.zone() == zone
    assert limits.marker_fraction() == pytest.approx((math.log10(lr) - LOW) / (HIGH - LOW))
    lines = readout(limits)
    assert lines[f"lr {lr:g}"] == state
    assert lines["Epochs to |w − w*| ≤ 1e-06"] == epochs
    assert float(lines["Contraction |1 − lr·λ|"]) == float(f"{abs(1 - lr * 28 / 3):.4g}")
    # The marker is painted where the lr is, over the zone's colour.
    image, bar = image_of(limits), bar_rect(limits)
    x = x_of(limits, lr)
    assert image.pixelColor(x, bar.center().y()) == MARKER_COLOR
    assert image.pixelColor(x - 8, bar.center().y()) != MARKER_COLOR


def test_an_lr_off_the_bar_pins_the_marker_to_an_end_with_an_arrow(limits: LrLimits) -> None:
    bar = bar_rect(limits)
    left_arrow = QPoint(bar.left() - 5, bar.center().y())
    right_arrow = QPoint(bar.right() + 6, bar.center().y())
    assert image_of(limits).pixelColor(left_arrow) != MARKER_COLOR
    limits.set_lr(1e-6)
    assert limits.marker_fraction() == 0.0 and limits.zone() == MONOTONE
    image = image_of(limits)
    assert image.pixelColor(left_arrow) == MARKER_COLOR
    assert image.pixelColor(right_arrow) != MARKER_COLOR
    limits.set_lr(40.0)
    assert limits.marker_fraction() == 1.0 and limits.zone() == DIVERGES
    assert image_of(limits).pixelColor(right_arrow) == MARKER_COLOR


# ------------------------------------------------------------------------------ painting


def test_the_bar_is_painted_in_three_zones_split_at_the_limits(limits: LrLimits) -> None:
    limits.set_lr(1e-6)  # the marker out of the way, at the left end
    image, bar = image_of(limits), bar_rect(limits)
    x1, x2 = x_of(limits, 3 / 28), x_of(limits, 3 / 14)
    regions = {
        MONOTONE: colours(image, bar.left() + 3, x1, bar),
        OSCILLATING: colours(image, x1 + 1, x2, bar),
        DIVERGES: colours(image, x2 + 1, bar.right() + 1, bar),
    }
    for zone, counts in regions.items():
        own = ZONE_COLORS[zone].name()
        assert counts.most_common(1)[0][0] == own, zone
        for other in set(regions) - {zone}:
            assert ZONE_COLORS[other].name() not in counts, (zone, other)
    # The colours change exactly at 1/λ and 2/λ (a line marks each edge).
    y = bar.center().y()
    assert image.pixelColor(x1 - 1, y) == ZONE_COLORS[MONOTONE]
    assert image.pixelColor(x1 + 1, y) == ZONE_COLORS[OSCILLATING]
    assert image.pixelColor(x2 - 1, y) == ZONE_COLORS[OSCILLATING]
    # Each zone's colour is in the picture (bar and legend) and gone once the inputs are invalid.
    everywhere = colours(image, 0, image.width(), image.rect())
    assert all(everywhere[c.name()] > 100 for c in ZONE_COLORS.values())
    limits.set_analysis(None, 0.01, (1.0,))
    blank = colours(image_of(limits), 0, image.width(), image.rect())
    assert not any(blank[c.name()] for c in ZONE_COLORS.values())
    assert blank[NEUTRAL_COLOR.name()] > 100


def test_the_zone_colours_differ_in_lightness_too() -> None:
    """Hue alone fails some colour vision: the zones also differ in relative luminance."""

    def luminance(colour: QColor) -> float:
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in
                  (colour.redF(), colour.greenF(), colour.blueF())]  # fmt: skip
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    ordered = sorted(luminance(ZONE_COLORS[zone]) for zone in (MONOTONE, OSCILLATING, DIVERGES))
    assert all(b - a > 0.1 for a, b in pairwise(ordered))


def test_it_fits_a_side_panel(qtbot: QtBot, limits: LrLimits) -> None:
    assert limits.sizeHint().height() <= 260
    for width in (260, 320):
        limits.resize(width, limits.sizeHint().height())
        qtbot.wait(1)
        bar = bar_rect(limits)
        assert bar.left() > 0 and bar.right() < width - 1
        image_of(limits)  # paints without error


# Showing a tooltip raises its window, which the offscreen platform cannot do.
@pytest.mark.qt_log_ignore("This plugin does not support raise")
def test_each_zone_explains_itself_in_a_tooltip(qtbot: QtBot, limits: LrLimits) -> None:
    bar = child(limits, QWidget, "lrZoneBar")
    tips = {lr: bar.tool_tip_at(round(bar.x_of(lr))) for lr in (0.003, 0.15, 0.5)}
    assert tips[0.003].startswith("Monotone: 0 < lr ≤ 1/λ = 0.1071")
    assert tips[0.15].startswith("Oscillating: 0.1071 < lr < 2/λ = 0.2143")
    assert tips[0.5].startswith("Diverges: lr ≥ 2/λ = 0.2143")
    assert bar.tool_tip_at(0) == ""  # off the bar
    # A real tooltip event, as hovering sends it.
    where = QPoint(round(bar.x_of(0.15)), bar.bar_rect().center().y())
    event = QHelpEvent(QEvent.Type.ToolTip, where, bar.mapToGlobal(where))
    QApplication.sendEvent(bar, event)
    qtbot.waitUntil(lambda: QToolTip.text() == tips[0.15])
    QToolTip.hideText()


# ------------------------------------------------------------------------------ signals


def test_best_rate_emits_one_over_the_curvature(qtbot: QtBot, limits: LrLimits) -> None:
    button = child(limits, QPushButton, "bestRateButton")
    assert "1/curvature" in button.toolTip() and "one step" in button.toolTip()
    assert "0.1071" in button.toolTip()
    with qtbot.waitSignal(limits.best_rate_requested, timeout=1000) as blocker:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert blocker.args == [3 / 28]
    assert blocker.args == [TUTORIAL.best_constant_rate]


def test_best_rate_of_the_line_model(qtbot: QtBot, limits: LrLimits) -> None:
    line = Analysis.of(get_model("line").quadratic(Dataset.tutorial()))
    limits.set_analysis(line, 0.01, (1.0, 0.0))
    assert readout(limits)["Largest curvature λ"] == f"{line.curvature:.4g}"
    button = child(limits, QPushButton, "bestRateButton")
    with qtbot.waitSignal(limits.best_rate_requested, timeout=1000) as blocker:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert blocker.args == [line.best_constant_rate]
    # All x equal: one direction is flat, and 2/(0 + λ) would be the stable limit itself;
    # the button offers 1/λ instead, which converges.
    flat = Analysis.of(get_model("line").quadratic(Dataset([2.0, 2.0], [1.0, 2.0])))
    assert flat.best_constant_rate == flat.stable_limit
    limits.set_analysis(flat, 0.01, (1.0, 0.0))
    with qtbot.waitSignal(limits.best_rate_requested, timeout=1000) as blocker:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert blocker.args == [flat.one_step_rate] and flat.converges(flat.one_step_rate)


def test_clicking_and_dragging_on_the_bar_picks_an_lr(qtbot: QtBot, limits: LrLimits) -> None:
    bar = child(limits, QWidget, "lrZoneBar")
    y = bar.bar_rect().center().y()
    with qtbot.waitSignal(limits.lr_picked, timeout=1000) as blocker:
        qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=QPoint(round(bar.x_of(0.05)), y))
    picked = blocker.args[0]
    assert picked == float(f"{picked:.3g}") and picked == pytest.approx(0.05, rel=0.05)
    assert limits.zone() == MONOTONE and f"lr {picked:g}" in readout(limits)
    seen: list[float] = []
    limits.lr_picked.connect(seen.append)
    buttons = Qt.MouseButton.LeftButton
    for lr in (0.15, 0.5):  # a drag into the oscillating zone, then beyond the limit
        where = QPointF(bar.x_of(lr), y)
        move = QMouseEvent(
            QEvent.Type.MouseMove, where, bar.mapToGlobal(where), Qt.MouseButton.NoButton,
            buttons, Qt.KeyboardModifier.NoModifier,
        )  # fmt: skip
        QApplication.sendEvent(bar, move)
    assert seen == [pytest.approx(0.15, rel=0.05), pytest.approx(0.5, rel=0.05)]
    assert limits.zone() == DIVERGES
    # The legend under the bar is not part of the axis.
    legend = QPoint(round(bar.x_of(0.01)), bar.height() - 3)
    with qtbot.assertNotEmitted(limits.lr_picked):
        qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=legend)


# ------------------------------------------------------------------------------ edge cases


def test_invalid_inputs_show_a_neutral_state(qtbot: QtBot, limits: LrLimits) -> None:
    limits.set_analysis(None, 0.01, (1.0,))
    assert limits.text() == "Fix the inputs to see the limits of the learning rate."
    assert limits.zone_edges() is None and limits.zone() is None
    assert limits.marker_fraction() is None
    button = child(limits, QPushButton, "bestRateButton")
    assert not button.isEnabled()
    with qtbot.assertNotEmitted(limits.best_rate_requested):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    bar = child(limits, QWidget, "lrZoneBar")
    with qtbot.assertNotEmitted(limits.lr_picked):
        qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.bar_rect().center())
    limits.set_analysis(TUTORIAL, 0.01, (1.0,))  # and back
    assert limits.zone() == MONOTONE and button.isEnabled()


def test_all_x_zero_says_so_and_never_divides_by_zero(qtbot: QtBot, limits: LrLimits) -> None:
    assert FLAT.curvature == 0.0
    for lr in (0.01, 0.5, math.nan, math.inf):
        limits.set_analysis(FLAT, lr, (1.0,))
        limits.set_lr(lr)
        assert "curvature is 0" in limits.text() and "every x is 0" in limits.text()
        assert limits.zone_edges() is None and limits.zone() is None
        assert limits.marker_fraction() is None
        assert not child(limits, QPushButton, "bestRateButton").isEnabled()
        image = image_of(limits)  # paints the message, not zones
        assert image.pixelColor(bar_rect(limits).topLeft()) == NEUTRAL_COLOR


@pytest.mark.parametrize("lr", [math.nan, math.inf, -math.inf])
def test_an_lr_that_is_not_finite_is_shown_not_raised(limits: LrLimits, lr: float) -> None:
    limits.set_lr(lr)
    assert readout(limits)[f"lr {lr}"] == "not a finite number"
    assert readout(limits)["Stable limit 2/λ"] == "0.2143"  # the limits still show
    assert limits.zone() is None and limits.marker_fraction() is None
    image_of(limits)
    limits.set_analysis(TUTORIAL, lr, (1.0,))
    assert limits.zone() is None


@pytest.mark.parametrize("lr", [0.0, -0.5])
def test_an_lr_that_is_not_positive_does_not_converge(limits: LrLimits, lr: float) -> None:
    limits.set_lr(lr)
    lines = readout(limits)
    assert lines[f"lr {lr:g}"] == "does not converge (lr ≤ 0)"
    assert lines["Epochs to |w − w*| ≤ 1e-06"] == "never"
    assert limits.zone() is None and limits.marker_fraction() == 0.0
