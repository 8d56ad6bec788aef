"""The plot panes, driven as real widgets offscreen: setters in, pixels and signals out."""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterator

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import QEvent, QObject, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QGraphicsItem

from gd_viewer.core import Dataset, Run
from gd_viewer.gui.export import render
from gd_viewer.gui.panes import CostHistoryPane, DataFitPane, LossCurvePane
from gd_viewer.gui.panes.base import steady_range
from gd_viewer.gui.panes.style import BLUE, ORANGE, VERMILLION
from tests.gui.plot_input import drag, item, on_screen, pixel, show, view

pytestmark = pytest.mark.gui

NOT_FINITE = (math.nan, math.inf, -math.inf)


# --------------------------------------------------------------------------- helpers


@pytest.fixture
def make(qtbot) -> Iterator[Callable[[type[pg.PlotWidget]], pg.PlotWidget]]:
    """Build a pane of the given class at 600×400, owned by qtbot."""

    def build(kind: type[pg.PlotWidget]) -> pg.PlotWidget:
        pane = kind()
        qtbot.addWidget(pane)
        pane.resize(600, 400)
        return pane

    yield build


def data(plot_item: pg.PlotDataItem) -> tuple[np.ndarray, np.ndarray]:
    x, y = plot_item.getData()
    return np.asarray(x), np.asarray(y)


def count_colour(
    pane: pg.PlotWidget, colour: str, tolerance: int = 40, image: QImage | None = None
) -> int:
    """Pixels of the grabbed pane (or ``image``) within ``tolerance`` per channel of ``colour``."""
    if image is None:
        image = pane.grab().toImage()
    image = image.convertToFormat(QImage.Format.Format_RGB32)
    pixels = np.frombuffer(image.constBits(), dtype=np.uint8).reshape(
        image.height(), image.bytesPerLine() // 4, 4
    )[:, : image.width(), :3]
    target = QColor(colour)
    bgr = np.array([target.blue(), target.green(), target.red()])
    return int((np.abs(pixels.astype(int) - bgr).max(axis=2) <= tolerance).sum())


def tutorial_history(epoch: int) -> dict[str, float | np.ndarray]:
    run = Run(Dataset.tutorial())
    run.run_to_end()
    h = run.history
    w = h.params[:, 0]
    return {
        "w": w[: epoch + 1],
        "cost": h.cost[: epoch + 1],
        "grad": float(h.grad[epoch, 0]),
        "next_w": float(w[epoch + 1]),
        "optimum": run.quadratic.optimum[0],
    }


# --------------------------------------------------------------------------- all panes


@pytest.mark.parametrize(
    ("kind", "object_name", "accessible_name"),
    [
        (LossCurvePane, "lossCurvePane", "w–loss curve"),
        (CostHistoryPane, "costHistoryPane", "epoch–cost curve"),
        (DataFitPane, "dataFitPane", "data and fitted line"),
    ],
)
def test_pane_names(make, kind, object_name, accessible_name) -> None:
    pane = make(kind)
    assert isinstance(pane, pg.PlotWidget)
    assert pane.objectName() == object_name
    assert pane.accessibleName() == accessible_name


# --------------------------------------------------------------------------- loss curve


def test_loss_curve_setters_update_the_same_items(make) -> None:
    pane = make(LossCurvePane)
    curve, trail, optimum = item(pane, "curve"), item(pane, "trail"), item(pane, "optimum")
    pane.set_curve(np.array([0.0, 1.0, 2.0]), np.array([4.0, 1.0, 0.0]))
    pane.set_trail(np.array([1.0]), np.array([1.0]))
    pane.set_optimum(2.0, 0.0)
    assert data(curve)[1].tolist() == [4.0, 1.0, 0.0]
    pane.set_curve(np.array([0.0, 3.0]), np.array([9.0, 1.0]))
    pane.set_trail(np.array([1.0, 1.5]), np.array([1.0, 0.25]))
    pane.set_optimum(1.5, 0.25)
    assert item(pane, "curve") is curve and item(pane, "trail") is trail
    assert item(pane, "optimum") is optimum
    assert data(curve)[0].tolist() == [0.0, 3.0] and data(curve)[1].tolist() == [9.0, 1.0]
    assert data(trail)[0].tolist() == [1.0, 1.5]
    assert data(optimum)[0].tolist() == [1.5]
    assert item(pane, "optimumLabel").toPlainText() == "w* = 1.5000"


def test_loss_curve_drops_non_finite_points_and_hides_what_is_left_empty(qtbot, make) -> None:
    pane = make(LossCurvePane)
    curve = item(pane, "curve")
    pane.set_curve(np.array([0.0, np.nan, 2.0, 3.0]), np.array([4.0, 1.0, np.inf, 1.0]))
    assert data(curve)[0].tolist() == [0.0, 3.0]
    assert curve.isVisible()
    show(qtbot, pane)  # draws without a warning (warnings fail the test)
    pane.set_curve(np.array([np.nan, 1.0]), np.array([1.0, -np.inf]))
    assert not curve.isVisible()
    pane.set_optimum(math.nan, 0.0)
    assert not item(pane, "optimum").isVisible()
    pane.set_current(1.0, math.inf, 0.0, None)
    assert not item(pane, "marker").isVisible()
    assert not item(pane, "tangent").isVisible()
    pane.grab()


def test_loss_curve_current_marker_tangent_and_step(qtbot, make) -> None:
    pane = make(LossCurvePane)
    w = np.linspace(0.0, 3.0, 61)
    pane.set_curve(w, (w - 2.0) ** 2)
    pane.set_w_range(1.0, 2.0)
    show(qtbot, pane)
    pane.set_current(1.2, 0.64, -1.6, 1.3)
    marker = item(pane, "marker")
    assert (marker.pos().x(), marker.pos().y()) == pytest.approx((1.2, 0.64))
    tx, ty = data(item(pane, "tangent"))
    assert (ty[1] - ty[0]) / (tx[1] - tx[0]) == pytest.approx(-1.6)
    assert np.interp(1.2, tx, ty) == pytest.approx(0.64)  # through the marker
    sx, sy = data(item(pane, "step"))
    assert sx[0] == pytest.approx(1.2) and sx[1] >= 1.3  # to next_w at least, rightwards
    assert sy.tolist() == pytest.approx([0.64, 0.64])
    pane.set_current(1.9, 0.01, 0.2, 1.88)
    sx, _ = data(item(pane, "step"))
    assert sx[1] < sx[0] == pytest.approx(1.9)  # against a positive gradient: leftwards
    pane.set_current(1.9, 0.01, 0.2, None)
    assert not item(pane, "step").isVisible()
    assert item(pane, "marker").isVisible()


def legend_texts(pane: pg.PlotWidget) -> list[str]:
    (legend,) = [obj for obj in pane.scene().items() if isinstance(obj, pg.LegendItem)]
    return [label.text for _, label in legend.items]


def test_loss_curve_legend_carries_the_numbers_at_the_playhead(make) -> None:
    pane = make(LossCurvePane)
    pane.set_current(1.2, 0.64, -1.6, 1.232)
    texts = legend_texts(pane)
    assert "current w = 1.2" in texts
    assert "tangent, slope = gradient = −1.6" in texts
    assert "step to the next w = +0.032" in texts
    pane.set_current(1.232, 0.59, -1.5, None)
    assert "step to the next w = –" in legend_texts(pane)


def test_while_a_run_plays_the_numbers_follow_at_a_readable_pace_and_catch_up_at_the_end(
    qtbot, make
) -> None:
    pane = make(LossCurvePane)
    pane.set_live(True)
    pane.set_current(1.2, 0.64, -1.6, 1.232)
    assert "current w = 1.2" in legend_texts(pane)  # the first change shows at once
    pane.set_current(1.232, 0.59, -1.5, 1.247)
    assert "current w = 1.2" in legend_texts(pane)  # the next waits (a readable pace) …
    assert item(pane, "marker").pos().x() == pytest.approx(1.232)  # … the marker does not
    qtbot.waitUntil(lambda: "current w = 1.232" in legend_texts(pane), timeout=1000)
    pane.set_current(1.247, 0.57, -1.4, 1.26)
    pane.set_live(False)  # paused: the numbers are those of the epoch on show
    assert "current w = 1.247" in legend_texts(pane)


def test_a_later_phase_shifts_when_a_pane_changes_its_numbers(qtbot, make) -> None:
    pane = make(LossCurvePane)
    pane.set_current(1.0, 1.0, -2.0, 1.1)
    pane.set_live(True, phase=0.5)  # its numbers change half an interval after the others'
    started = time.perf_counter()
    pane.set_current(1.2, 0.64, -1.6, 1.232)
    assert "current w = 1.0" in legend_texts(pane)
    qtbot.waitUntil(lambda: "current w = 1.2" in legend_texts(pane), timeout=1000)
    assert time.perf_counter() - started >= 0.05
    pane.set_live(False)


def cost_pane_at(qtbot, make, epoch: int, costs: np.ndarray) -> CostHistoryPane:
    """A cost pane of a 100-epoch run, shown with ``costs`` up to ``epoch`` (the playhead)."""
    pane = make(CostHistoryPane)
    pane.set_epoch_count(100)
    pane.set_costs(np.arange(epoch + 1), costs)
    pane.set_current(epoch, float(costs[-1]))
    show(qtbot, pane)
    return pane


def test_cost_history_playhead_label_names_the_epoch_and_sits_up_the_view(qtbot, make) -> None:
    pane = cost_pane_at(qtbot, make, 10, np.linspace(5.0, 1.0, 11))
    label = item(pane, "playheadLabel")
    assert label.toPlainText() == "epoch 10: cost = 1"
    low, high = view(pane).viewRange()[1]
    y = item(pane, "playhead").mapToParent(label.pos()).y()
    assert low + 0.9 * (high - low) < y < high
    assert item(pane, "playhead").value() == 10
    pane.set_current(90, 1.0)  # near the right edge: the label goes to the line's left
    assert label.anchor == (1.0, 0.5)


def test_the_playhead_label_takes_the_side_with_room_or_is_left_out(qtbot, make) -> None:
    """In a narrow pane (the smallest window) the label was cut at the view's right edge."""
    pane = cost_pane_at(qtbot, make, 30, np.linspace(5.0, 0.01305767153735723, 31))
    label, line = item(pane, "playheadLabel"), item(pane, "playhead")
    view_box = view(pane)
    inside = view_box.sceneBoundingRect().adjusted(-0.5, -0.5, 0.5, 0.5)

    def card() -> QRectF:  # the label's card in the scene (it ignores the view's scale)
        width, height = label.card_size()
        at = line.mapToScene(label.pos())
        left = at.x() - label.anchor[0] * width
        return QRectF(left, at.y() - label.anchor[1] * height, width, height)

    assert label.isVisible() and label.anchor == (0.0, 0.5)  # room on the right at 600 px
    assert inside.contains(card())

    pane.resize(230, 300)  # a view about 170 pixels wide: room on neither side
    qtbot.waitUntil(lambda: not label.isVisible(), timeout=2000)
    pane.set_current(95, 0.013)
    pane.resize(330, 300)  # room on the left of a playhead near the right edge
    qtbot.waitUntil(label.isVisible, timeout=2000)
    qtbot.wait(50)  # the view laid out at its new size
    assert label.anchor == (1.0, 0.5)
    inside = view_box.sceneBoundingRect().adjusted(-0.5, -0.5, 0.5, 0.5)
    assert inside.contains(card())


def test_loss_curve_ghost_marks_where_the_next_step_lands(qtbot, make) -> None:
    pane = make(LossCurvePane)
    grid = np.linspace(0.5, 2.5, 201)
    pane.set_curve(grid, (14.0 / 3.0) * (grid - 2.0) ** 2)
    pane.set_w_range(0.5, 2.5)
    pane.set_current(1.0, 14.0 / 3.0, -28.0 / 3.0, 1.2, 3.0)
    show(qtbot, pane)
    ghost = item(pane, "ghost")
    assert ghost.isVisible()
    assert (ghost.pos().x(), ghost.pos().y()) == pytest.approx((1.2, 3.0))
    pane.set_current(1.2, 3.0, -7.0, None)  # the run ends here: no next step
    assert not ghost.isVisible()
    pane.set_current(1.2, 3.0, -7.0, 1.3, 2.0)
    assert ghost.isVisible()  # shown again, though it was hidden last


def test_loss_curve_tangent_follows_the_view_width(qtbot, make) -> None:
    pane = make(LossCurvePane)
    w = np.linspace(-10.0, 10.0, 201)
    pane.set_curve(w, w**2)
    pane.set_w_range(-1.0, 1.0)
    pane.set_current(0.5, 0.25, 0.0, 0.4)
    narrow = np.ptp(data(item(pane, "tangent"))[0])
    pane.set_w_range(-10.0, 10.0)
    wide = np.ptp(data(item(pane, "tangent"))[0])
    assert wide == pytest.approx(10 * narrow)
    low, high = view(pane).viewRange()[0]
    assert narrow > 0.1 * 2.0  # a visible share of the view
    assert high - low < 20.0 * 1.15  # the range was applied with a small padding only
    assert low <= -10.0 and high >= 10.0


def test_loss_curve_marker_drag_emits_w_under_the_mouse(qtbot, make) -> None:
    pane = make(LossCurvePane)
    w = np.linspace(0.0, 3.0, 61)
    pane.set_curve(w, (w - 2.0) ** 2)
    pane.set_w_range(0.5, 2.5)
    pane.set_current(1.0, 1.0, -2.0, 1.1)
    pane.set_marker_draggable(True)
    show(qtbot, pane)
    dragged: list[float] = []
    finished: list[float] = []
    pane.initial_w_dragged.connect(dragged.append)
    pane.initial_w_drag_finished.connect(finished.append)
    targets = [1.0, 1.1, 1.25, 1.4, 1.6]
    drag(qtbot, pane, [pixel(pane, t, 1.0) for t in targets])
    width = np.ptp(view(pane).viewRange()[0])
    assert len(dragged) >= 2
    assert dragged[-1] == pytest.approx(1.6, abs=0.02 * width)
    assert finished == pytest.approx([1.6], abs=0.02 * width)
    assert item(pane, "marker").pos().x() == pytest.approx(1.6, abs=0.02 * width)


def test_loss_curve_marker_ignores_drags_while_not_draggable(qtbot, make) -> None:
    pane = make(LossCurvePane)
    w = np.linspace(0.0, 3.0, 61)
    pane.set_curve(w, (w - 2.0) ** 2)
    pane.set_w_range(0.5, 2.5)
    pane.set_current(1.0, 1.0, -2.0, 1.1)
    pane.set_marker_draggable(True)
    pane.set_marker_draggable(False)
    show(qtbot, pane)
    emitted: list[float] = []
    pane.initial_w_dragged.connect(emitted.append)
    pane.initial_w_drag_finished.connect(emitted.append)
    drag(qtbot, pane, [pixel(pane, t, 1.0) for t in (1.0, 1.2, 1.4, 1.6)])
    assert emitted == []
    assert item(pane, "marker").pos().x() == pytest.approx(1.0)


def test_loss_curve_with_the_tutorial_state_is_drawn(qtbot, make) -> None:
    state = tutorial_history(10)
    pane = make(LossCurvePane)
    grid = np.linspace(0.0, 3.0, 301)
    pane.set_curve(grid, (14.0 / 3.0) * (grid - 2.0) ** 2)
    pane.set_optimum(state["optimum"], 0.0)
    pane.set_trail(state["w"], state["cost"])
    pane.set_current(state["w"][-1], state["cost"][-1], state["grad"], state["next_w"])
    pane.set_w_range(1.0, 2.0)
    show(qtbot, pane)
    assert count_colour(pane, BLUE) > 200  # the parabola
    assert count_colour(pane, VERMILLION) > 100  # marker and step arrow


def test_loss_curve_trail_dots_sit_on_the_visited_points_and_grow_in_an_export(qtbot, make) -> None:
    pane = make(LossCurvePane)
    pane.set_w_range(0.0, 3.0)
    grid = np.linspace(0.0, 3.0, 301)
    pane.set_curve(grid, (14.0 / 3.0) * (grid - 2.0) ** 2)
    w, cost = np.array([0.5, 1.25, 2.75]), np.array([10.5, 2.625, 2.625])
    pane.set_trail(w, cost)
    show(qtbot, pane)
    image = pane.grab().toImage()
    for wk, ck in zip(w, cost, strict=True):
        at = pixel(pane, wk, ck)
        assert QColor(image.pixel(at)).name().upper() == ORANGE.upper()
    # An export at twice the width draws every dot twice as large (4 times the pixels).
    item(pane, "trail").hide()
    on_screen = count_colour(pane, ORANGE)
    exported = count_colour(pane, ORANGE, image=render([pane], 2 * pane.width()))
    assert on_screen > 3 * 25
    assert 3.0 < exported / on_screen < 5.0


# --------------------------------------------------------------------------- cost history


def test_cost_history_axis_is_fixed_to_the_epoch_count(qtbot, make) -> None:
    pane = make(CostHistoryPane)
    pane.set_epoch_count(100)
    pane.set_costs(np.arange(11), np.linspace(5.0, 1.0, 11))
    show(qtbot, pane)
    view(pane).enableAutoRange()  # what the "A" button does
    pane.grab()
    low, high = view(pane).viewRange()[0]
    assert low <= 0.0 and high >= 100.0
    assert high - low < 110.0


def test_cost_history_setters_update_the_same_items(make) -> None:
    pane = make(CostHistoryPane)
    curve, marker, playhead = item(pane, "curve"), item(pane, "marker"), item(pane, "playhead")
    pane.set_epoch_count(100)
    pane.set_costs(np.arange(3), np.array([4.0, 2.0, 1.0]))
    pane.set_current(2, 1.0)
    pane.set_costs(np.arange(4), np.array([4.0, 2.0, 1.0, 0.5]))
    pane.set_current(3, 0.5)
    assert item(pane, "curve") is curve and item(pane, "marker") is marker
    assert item(pane, "playhead") is playhead
    assert data(curve)[1].tolist() == [4.0, 2.0, 1.0, 0.5]
    assert data(marker)[0].tolist() == [3.0] and data(marker)[1].tolist() == [0.5]
    assert playhead.value() == 3
    assert "epoch 3" in item(pane, "playheadLabel").toPlainText()
    assert curve.opts["autoDownsample"] and curve.opts["clipToView"]
    assert curve.opts["downsampleMethod"] == "peak"


def test_cost_history_drops_non_finite_costs(qtbot, make) -> None:
    pane = make(CostHistoryPane)
    pane.set_epoch_count(4)
    pane.set_costs(np.arange(5), np.array([4.0, np.nan, 1.0, np.inf, 0.5]))
    assert data(item(pane, "curve"))[0].tolist() == [0.0, 2.0, 4.0]
    pane.set_current(1, math.nan)
    assert not item(pane, "marker").isVisible()
    show(qtbot, pane)


def test_log_scale_drops_zero_costs_and_restores_them(qtbot, make) -> None:
    pane = make(CostHistoryPane)
    pane.set_epoch_count(3)
    pane.set_costs(np.arange(4), np.array([4.0, 1.0, 0.0, 0.0]))
    pane.set_current(2, 0.0)
    pane.set_log_scale(True)
    assert pane.log_scale()
    assert pane.getPlotItem().getAxis("left").logMode
    assert data(item(pane, "curve"))[0].tolist() == [0.0, 1.0]
    assert not item(pane, "marker").isVisible()
    show(qtbot, pane)  # painting in log mode raises no warning
    pane.set_log_scale(False)
    assert not pane.log_scale()
    assert data(item(pane, "curve"))[0].tolist() == [0.0, 1.0, 2.0, 3.0]
    assert item(pane, "marker").isVisible()


def test_log_scale_from_the_context_menu_is_reported(make) -> None:
    pane = make(CostHistoryPane)
    changes: list[bool] = []
    pane.log_scale_changed.connect(changes.append)
    pane.set_costs(np.arange(3), np.array([1.0, 0.0, 0.5]))
    pane.set_log_scale(True)  # a setter: no signal
    pane.getPlotItem().ctrl.logYCheck.setChecked(False)  # the user, in the menu
    pane.getPlotItem().ctrl.logYCheck.setChecked(True)
    assert changes == [False, True]
    assert pane.log_scale()
    assert data(item(pane, "curve"))[0].tolist() == [0.0, 2.0]


def test_click_picks_the_nearest_epoch(qtbot, make) -> None:
    pane = make(CostHistoryPane)
    pane.set_epoch_count(100)
    pane.set_costs(np.arange(101), np.exp(-np.arange(101) / 20))
    show(qtbot, pane)
    picked: list[int] = []
    pane.epoch_picked.connect(picked.append)
    qtbot.mouseClick(pane.viewport(), Qt.MouseButton.LeftButton, pos=pixel(pane, 37.2))
    assert picked == [37]
    qtbot.mouseClick(pane.viewport(), Qt.MouseButton.LeftButton, pos=pixel(pane, 101.5))
    qtbot.mouseClick(pane.viewport(), Qt.MouseButton.LeftButton, pos=pixel(pane, -1.5))
    assert picked == [37, 100, 0]  # clamped to the run


def test_drag_scrubs_through_epochs_without_panning(qtbot, make) -> None:
    pane = make(CostHistoryPane)
    pane.set_epoch_count(100)
    pane.set_costs(np.arange(101), np.exp(-np.arange(101) / 20))
    show(qtbot, pane)
    before = view(pane).viewRange()
    picked: list[int] = []
    pane.epoch_picked.connect(picked.append)
    drag(qtbot, pane, [pixel(pane, e) for e in (20, 30, 40, 50, 60)])
    assert len(picked) >= 3
    assert picked == sorted(picked) and len(set(picked)) == len(picked)
    assert picked[0] <= 32 and picked[-1] == 60
    assert view(pane).viewRange() == before


def test_cost_history_with_the_tutorial_state_is_drawn(qtbot, make) -> None:
    state = tutorial_history(10)
    pane = make(CostHistoryPane)
    pane.set_epoch_count(100)
    pane.set_costs(np.arange(11), state["cost"])
    pane.set_current(10, state["cost"][-1])
    show(qtbot, pane)
    assert count_colour(pane, BLUE) > 100
    assert count_colour(pane, VERMILLION) > 40


# --------------------------------------------------------------------------- data fit


def test_small_data_is_drawn_whole(make) -> None:
    pane = make(DataFitPane)
    points = item(pane, "points")
    pane.set_points(np.array([1.0, 2.0, np.nan, 3.0]), np.array([2.0, 4.0, 5.0, np.inf]))
    assert data(points)[0].tolist() == [1.0, 2.0]
    pane.set_points(np.array([1.0, 2.0, 3.0]), np.array([2.0, 4.0, 6.0]))
    assert item(pane, "points") is points
    assert data(points)[1].tolist() == [2.0, 4.0, 6.0]
    assert not item(pane, "note").isVisible()


def test_a_million_points_are_thinned_quickly_keeping_the_extremes(make) -> None:
    pane = make(DataFitPane)
    rng = np.random.default_rng(7)
    x = rng.normal(size=1_000_000)
    y = 2.0 * x + rng.normal(size=x.size)
    timings = []
    for _ in range(3):
        start = time.perf_counter()
        pane.set_points(x, y)
        timings.append(time.perf_counter() - start)
    assert min(timings) < 0.1
    xs, ys = data(item(pane, "points"))
    assert 4_900 <= xs.size <= 5_000
    assert xs.min() == x.min() and xs.max() == x.max()
    assert ys.min() == y.min() and ys.max() == y.max()
    note = item(pane, "note")
    assert note.isVisible()
    assert note.toPlainText() == f"showing {xs.size:,} of 1,000,000 points"
    pane.set_points(x, y)
    assert np.array_equal(data(item(pane, "points"))[0], xs)  # deterministic


def test_line_spans_the_view_after_a_range_change(qtbot, make) -> None:
    pane = make(DataFitPane)
    pane.set_points(np.array([1.0, 2.0, 3.0]), np.array([2.0, 4.0, 6.0]))
    pane.set_line(1.5, 0.5)
    show(qtbot, pane)
    line = item(pane, "line")
    assert data(line)[0].tolist() == pytest.approx(view(pane).viewRange()[0])
    view(pane).setXRange(-10.0, 20.0, padding=0.0)
    lx, ly = data(line)
    assert lx.tolist() == pytest.approx([-10.0, 20.0])
    assert ly.tolist() == pytest.approx([1.5 * -10.0 + 0.5, 1.5 * 20.0 + 0.5])
    pane.set_line(math.nan)
    assert not line.isVisible()
    pane.set_line(2.0)
    assert item(pane, "line") is line and line.isVisible()
    assert data(line)[1].tolist() == pytest.approx([-20.0, 40.0])


def test_prediction_before_and_now(qtbot, make) -> None:
    pane = make(DataFitPane)
    pane.set_points(np.array([1.0, 2.0, 3.0]), np.array([2.0, 4.0, 6.0]))
    pane.set_prediction(4.0, 4.0, 7.999777758621207)
    assert data(item(pane, "before"))[1].tolist() == [4.0]
    assert data(item(pane, "now"))[1].tolist() == [7.999777758621207]
    assert data(item(pane, "now"))[0].tolist() == [4.0]
    assert item(pane, "beforeLabel").toPlainText() == "before: 4.0"
    assert item(pane, "nowLabel").toPlainText() == "now: 7.9998"
    assert item(pane, "guide").value() == 4.0
    show(qtbot, pane)
    low, high = view(pane).viewRange()[0]
    assert low < 4.0 < high
    pane.set_prediction(4.0, 4.0, math.inf)
    assert not item(pane, "now").isVisible() and item(pane, "before").isVisible()


def test_legend_keeps_clear_of_the_prediction(qtbot, make) -> None:
    pane = make(DataFitPane)
    pane.set_points(np.array([1.0, 2.0, 3.0]), np.array([-2.0, -4.0, -6.0]))
    pane.set_line(-1.0)
    pane.set_prediction(4.0, 4.0, -4.0)  # "before" high up on the right
    show(qtbot, pane)
    (legend,) = [obj for obj in pane.scene().items() if isinstance(obj, pg.LegendItem)]
    box = on_screen(pane, legend)
    for name in ("before", "now", "beforeLabel", "nowLabel"):
        assert not box.intersects(on_screen(pane, item(pane, name))), name
    for x, y in zip(*data(item(pane, "points")), strict=True):
        assert not box.contains(view(pane).mapViewToScene(QPointF(x, y)))


def test_data_fit_with_the_tutorial_state_is_drawn(qtbot, make) -> None:
    state = tutorial_history(10)
    data_set = Dataset.tutorial()
    pane = make(DataFitPane)
    pane.set_points(data_set.x, data_set.y)
    pane.set_line(state["w"][-1])
    pane.set_prediction(4.0, 4.0 * state["w"][0], 4.0 * state["w"][-1])
    show(qtbot, pane)
    assert count_colour(pane, VERMILLION) > 200  # the fitted line
    assert count_colour(pane, BLUE) > 50  # the three points


# --------------------------------------------------------------------------- drawing cost


class _PaintCounter(QObject):
    """Counts the paint events of a pane's viewport."""

    def __init__(self, pane: pg.PlotWidget) -> None:
        super().__init__()
        self.count = 0
        pane.viewport().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        self.count += event.type() == QEvent.Type.Paint
        return False


def play_tutorial(pane: pg.PlotWidget, epoch: int) -> None:
    """Show the tutorial's state at ``epoch`` as the controller does each frame."""
    state = tutorial_history(epoch)
    if isinstance(pane, LossCurvePane):
        pane.set_trail(state["w"], state["cost"])
        pane.set_current(state["w"][-1], state["cost"][-1], state["grad"], state["next_w"])
    elif isinstance(pane, CostHistoryPane):
        pane.set_costs(np.arange(epoch + 1), state["cost"])
        pane.set_current(epoch, state["cost"][-1])
    else:
        pane.set_line(state["w"][-1])
        pane.set_prediction(4.0, 4.0 * state["w"][0], 4.0 * state["w"][-1])


@pytest.mark.parametrize("kind", [LossCurvePane, CostHistoryPane, DataFitPane])
def test_a_frame_is_painted_once(qtbot, make, kind) -> None:
    """Each frame of a playing run is painted once: nothing a paint does asks for another."""
    pane = make(kind)
    if kind is LossCurvePane:
        grid = np.linspace(0.5, 2.5, 201)
        pane.set_curve(grid, (14.0 / 3.0) * (grid - 2.0) ** 2)
        pane.set_w_range(0.5, 2.5)
        pane.set_optimum(2.0, 0.0)
    elif kind is CostHistoryPane:
        pane.set_epoch_count(100)
    else:
        data_set = Dataset.tutorial()
        pane.set_points(data_set.x, data_set.y)
    play_tutorial(pane, 5)
    show(qtbot, pane)
    painted = _PaintCounter(pane)
    for epoch in range(6, 16):
        play_tutorial(pane, epoch)
        before = painted.count
        qtbot.wait(30)
        assert painted.count - before == 1, f"epoch {epoch}"


@pytest.mark.parametrize("kind", [LossCurvePane, CostHistoryPane, DataFitPane])
def test_what_draws_nothing_of_its_own_is_skipped_in_each_paint(qtbot, make, kind) -> None:
    """The plot, its title and a view without a border only hold items that draw: Qt is
    told so, and does not ask their bounds (a Python call each) in every paint."""
    pane = make(kind)
    show(qtbot, pane)
    plot = pane.getPlotItem()
    containers = (plot, plot.titleLabel, plot.getViewBox())
    for container in containers:
        assert container.flags() & QGraphicsItem.GraphicsItemFlag.ItemHasNoContents
    # Still there for the mouse: a press on the view reaches it.
    centre = plot.getViewBox().sceneBoundingRect().center()
    assert plot.getViewBox() in pane.scene().items(centre)
    # A view with a border draws it.
    plot.getViewBox().setBorder(pg.mkPen("k"))
    assert not plot.getViewBox().flags() & QGraphicsItem.GraphicsItemFlag.ItemHasNoContents
    plot.getViewBox().setBorder(None)
    assert plot.getViewBox().flags() & QGraphicsItem.GraphicsItemFlag.ItemHasNoContents


def test_a_change_too_small_to_see_is_not_painted(qtbot, make) -> None:
    pane = make(LossCurvePane)
    grid = np.linspace(0.5, 2.5, 201)
    pane.set_curve(grid, (grid - 2.0) ** 2)
    pane.set_w_range(0.5, 2.5)
    show(qtbot, pane)
    pane.set_current(1.0, 1.0, -2.0, 1.1)
    qtbot.wait(30)
    painted = _PaintCounter(pane)
    pane.set_current(1.0 + 1e-9, 1.0, -2.0 + 1e-9, 1.1)  # a converged run's next epoch
    qtbot.wait(30)
    assert painted.count == 0
    pane.set_current(1.2, 0.64, -1.6, 1.3)  # a step that shows
    qtbot.wait(30)
    assert painted.count == 1
    assert item(pane, "marker").pos().x() == pytest.approx(1.2)


def test_the_cost_axis_holds_still_while_a_run_plays(qtbot, make) -> None:
    """From zero to the first cost: the whole run fits from its first epoch on."""
    pane = make(CostHistoryPane)
    pane.set_epoch_count(100)
    play_tutorial(pane, 0)
    show(qtbot, pane)
    first = view(pane).viewRange()[1]
    low, high = first
    assert low < 0.0 < tutorial_history(0)["cost"][0] < high
    for epoch in (1, 2, 5, 20, 99):
        play_tutorial(pane, epoch)
        pane.grab()
        assert view(pane).viewRange()[1] == first, epoch


def test_steady_range_keeps_grows_and_fits() -> None:
    assert steady_range([0.1, 0.9], [0.0, 1.0]) is None  # inside: kept
    assert steady_range([-0.01, 1.0], [0.0, 1.0]) is None  # a hair outside: kept
    low, high = steady_range([-0.1, 1.0], [0.0, 1.0])  # outgrows the bottom
    assert low < -0.1 and high == 1.0  # room below, the top stays
    assert steady_range([0.0, 0.2], [0.0, 1.0]) == [0.0, 0.2]  # too empty: fitted


def _grid_columns(pane: pg.PlotWidget, y: float) -> list[int]:
    """The viewport columns of the x axis' grid lines (where pyqtgraph puts its ticks)."""
    axis = pane.getPlotItem().getAxis("bottom")
    low, high = sorted(axis.range)
    width = view(pane).width()
    values = [v for _, level in axis.tickValues(low, high, width)[:1] for v in level]
    return [pixel(pane, v, y).x() for v in values if low < v < high]


def test_the_grid_follows_the_view_although_qt_keeps_it_as_a_picture(qtbot, make) -> None:
    pane = make(LossCurvePane)
    pane.set_w_range(0.0, 10.0)
    show(qtbot, pane)
    y = sum(view(pane).viewRange()[1]) / 2
    before = _grid_columns(pane, y)
    pane.set_w_range(0.0, 73.0)  # other ticks: the old grid lines must go
    image = pane.grab().toImage()
    after = _grid_columns(pane, y)
    row = pixel(pane, 1.0, y).y()

    def inked(column: int) -> bool:  # a grid line there, give or take a pixel of rounding
        return any(
            QColor(image.pixel(c, row)).lightness() < 240 for c in range(column - 1, column + 2)
        )

    gone = [c for c in before if all(abs(c - a) > 3 for a in after)]
    assert gone and not any(inked(c) for c in gone)
    assert all(inked(c) for c in after)


def loss_pane_with_legend(qtbot, make) -> tuple[LossCurvePane, pg.LegendItem]:
    """A w–loss pane at 600×400, shown, with its legend's six rows filled in."""
    pane = make(LossCurvePane)
    w = np.linspace(0.0, 4.0, 50)
    pane.set_curve(w, (w - 2.0) ** 2)
    pane.set_current(1.0, 1.0, -2.0, 1.1, 0.81)
    show(qtbot, pane)
    (legend,) = [obj for obj in pane.scene().items() if isinstance(obj, pg.LegendItem)]
    return pane, legend


def test_a_legend_shrinks_to_fit_a_small_pane_and_grows_back(qtbot, make) -> None:
    pane, legend = loss_pane_with_legend(qtbot, make)
    view_box = pane.getPlotItem().getViewBox()
    assert legend.scale() == 1.0  # room enough at 600×400

    pane.resize(260, 200)
    qtbot.waitUntil(lambda: legend.scale() < 1.0, timeout=2000)
    qtbot.wait(20)
    inside = view_box.sceneBoundingRect().adjusted(-0.5, -0.5, 0.5, 0.5)
    assert inside.contains(legend.sceneBoundingRect())  # whole, not cut off at an edge

    pane.resize(600, 400)
    qtbot.waitUntil(lambda: legend.scale() == 1.0, timeout=2000)


def test_a_legend_too_big_for_its_pane_even_shrunk_is_left_out_until_there_is_room(
    qtbot, make
) -> None:
    """Three panes abreast in the smallest window: a legend cut off at the view's edge
    showed half its words; it is left out instead, and back when the pane is wider."""
    from gd_viewer.gui.panes.legend import MIN_SCALE

    pane, legend = loss_pane_with_legend(qtbot, make)
    view_box = pane.getPlotItem().getViewBox()
    assert legend.isVisible()

    pane.resize(170, 300)  # a view about 110 pixels wide
    qtbot.waitUntil(lambda: not legend.isVisible(), timeout=2000)
    assert view_box.width() < MIN_SCALE * legend.width()  # (it could not have fitted)

    pane.resize(600, 400)
    qtbot.waitUntil(legend.isVisible, timeout=2000)
    assert legend.scale() == 1.0


def test_a_legend_its_pane_hides_stays_hidden_when_the_pane_grows(qtbot, make) -> None:
    pane = make(CostHistoryPane)  # its legend is shown only beside pinned runs
    pane.set_epoch_count(100)
    pane.set_costs(np.arange(10.0), 4.0 * 0.9 ** np.arange(10.0))
    show(qtbot, pane)
    (legend,) = [obj for obj in pane.scene().items() if isinstance(obj, pg.LegendItem)]
    assert not legend.isVisible()
    pane.resize(150, 300)
    qtbot.wait(50)
    pane.resize(600, 400)
    qtbot.wait(50)
    assert not legend.isVisible()


def test_a_legend_row_that_grows_keeps_the_legend_in_its_corner(qtbot, make) -> None:
    """A number with more digits widens its row: the card stays put while it is wide
    enough, and grows from its corner (right edge fixed) when it is not, without a jump
    to the view's origin and back, which moved what keeps clear of it, twice."""
    pane, legend = loss_pane_with_legend(qtbot, make)
    pane.set_current(1.0, 1.0, -9.3, 1.09, 0.83)
    view_box = pane.getPlotItem().getViewBox()
    moves: list[tuple[float, float]] = []
    legend.geometryChanged.connect(lambda: moves.append((legend.pos().x(), legend.pos().y())))
    right = legend.mapRectToItem(view_box, legend.boundingRect()).right()
    width = legend.width()

    pane.set_current(1.5, 0.5, -3.5, 1.53, 0.47)  # "current w = 1.5": shorter than the widest
    assert moves == [] and legend.width() == width

    pane.set_current(1.9999, 0.0, -0.0005186, 1.99995, 0.0)  # the tangent's row grows
    assert legend.width() > width
    final = (legend.pos().x(), legend.pos().y())
    assert moves and set(moves) == {final}  # straight to where the wider card fits
    grown = legend.mapRectToItem(view_box, legend.boundingRect())
    assert grown.right() == pytest.approx(right, abs=0.5)


def test_the_cost_axis_still_grows_with_costs_beyond_it(qtbot, make) -> None:
    """A run that diverges: the axis keeps its costs in sight, frame after frame (costs that
    stay within it do not make the pane work the range out again)."""
    pane = make(CostHistoryPane)
    pane.set_epoch_count(100)
    costs = 2.0 ** (np.arange(101) / 10.0)
    pane.set_costs(np.arange(1), costs[:1])
    show(qtbot, pane)
    for epoch in range(1, 101, 7):
        pane.set_costs(np.arange(epoch + 1), costs[: epoch + 1])
        pane.grab()
        low, high = view(pane).viewRange()[1]
        assert low <= 0.0 and high >= costs[epoch], epoch


def test_a_title_too_wide_for_a_narrow_pane_is_set_smaller_not_cut(qtbot, make) -> None:
    from PySide6.QtGui import QFont, QFontMetricsF

    pane = make(DataFitPane)
    show(qtbot, pane)
    label = pane.getPlotItem().titleLabel
    assert label.opts["size"] == "11pt"
    pane.resize(150, 300)
    qtbot.waitUntil(lambda: label.opts["size"] != "11pt", timeout=2000)
    font = QFont(label.item.font())
    font.setPointSizeF(float(label.opts["size"].removesuffix("pt")))
    room = pane.getPlotItem().getViewBox().width()
    assert QFontMetricsF(font).horizontalAdvance(label.text) <= room
    pane.resize(600, 400)
    qtbot.waitUntil(lambda: label.opts["size"] == "11pt", timeout=2000)
