"""The data pane's "where the gradient comes from": residuals, shares, and dragging points."""

from __future__ import annotations

import math
from collections.abc import Iterator

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import QEvent, QObject, QPoint, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QImage

from gd_viewer.core import Dataset, LineModel, Run
from gd_viewer.gui.panes import DataFitPane
from gd_viewer.gui.panes.label import PADDING, Label
from gd_viewer.gui.panes.style import PURPLE
from tests.gui.plot_input import drag, item, on_screen, pixel, show, view

pytestmark = pytest.mark.gui

TUTORIAL_X, TUTORIAL_Y = [1.0, 2.0, 3.0], [2.0, 4.0, 6.0]


# --------------------------------------------------------------------------- helpers


@pytest.fixture
def pane(qtbot) -> Iterator[DataFitPane]:
    """A data pane at 600×400 with the tutorial's points and its first line, w = 1."""
    result = DataFitPane()
    qtbot.addWidget(result)
    result.resize(600, 400)
    result.set_points(np.array(TUTORIAL_X), np.array(TUTORIAL_Y))
    result.set_line(1.0)
    yield result


def segments(pane: DataFitPane) -> tuple[list[tuple[float, float]], list[tuple[float, float]]]:
    """The residual segments' ends: at the points, and on the line."""
    x, y = item(pane, "residuals").getData()
    return list(zip(x[0::2], y[0::2], strict=True)), list(zip(x[1::2], y[1::2], strict=True))


def shares(pane: DataFitPane) -> list[float]:
    """The numbers of the visible share labels, in the order of the points."""
    labels = [item(pane, f"share{i}") for i in range(12)]
    texts = [label.toPlainText() for label in labels if label.isVisible()]
    return [float(text.replace("−", "-")) for text in texts]


def legend_texts(pane: pg.PlotWidget) -> list[str]:
    (legend,) = [obj for obj in pane.scene().items() if isinstance(obj, pg.LegendItem)]
    return [label.text for _, label in legend.items]


def count_colour(pane: pg.PlotWidget, colour: str, tolerance: int = 30) -> int:
    """Pixels of the grabbed pane within ``tolerance`` per channel of ``colour``."""
    image = pane.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    pixels = np.frombuffer(image.constBits(), dtype=np.uint8).reshape(
        image.height(), image.bytesPerLine() // 4, 4
    )[:, : image.width(), :3]
    target = QColor(colour)
    bgr = np.array([target.blue(), target.green(), target.red()])
    return int((np.abs(pixels.astype(int) - bgr).max(axis=2) <= tolerance).sum())


def text_on_screen(pane: DataFitPane, label: Label) -> QRectF:
    """Where the text of ``label`` is on screen (its card without the padding)."""
    return on_screen(pane, label).adjusted(
        PADDING[0] + 1, PADDING[1] + 1, -PADDING[0] - 1, -PADDING[1] - 1
    )  # (the bounding rect is a pixel wider than the card)


def record(
    pane: DataFitPane,
) -> tuple[list[tuple[int, float, float]], list[tuple[int, float, float]]]:
    """Lists that collect the pane's point_dragged and point_drag_finished emissions."""
    moved: list[tuple[int, float, float]] = []
    finished: list[tuple[int, float, float]] = []
    pane.point_dragged.connect(lambda i, x, y: moved.append((i, x, y)))
    pane.point_drag_finished.connect(lambda i, x, y: finished.append((i, x, y)))
    return moved, finished


def path(start: QPoint, end: QPoint, steps: int = 6) -> list[QPoint]:
    """Mouse positions from ``start`` to ``end``."""
    return [
        QPoint(
            round(start.x() + (end.x() - start.x()) * k / steps),
            round(start.y() + (end.y() - start.y()) * k / steps),
        )
        for k in range(steps + 1)
    ]


# --------------------------------------------------------------------------- residuals


def test_residuals_run_from_each_point_to_the_line(pane) -> None:
    at_points, on_line = segments(pane)
    assert at_points == [(1.0, 2.0), (2.0, 4.0), (3.0, 6.0)]
    assert on_line == [(1.0, 1.0), (2.0, 2.0), (3.0, 3.0)]
    assert item(pane, "residuals").isVisible()
    residuals = item(pane, "residuals")
    pane.set_line(1.5)
    assert item(pane, "residuals") is residuals  # updated, not made anew
    at_points, on_line = segments(pane)
    assert at_points == [(1.0, 2.0), (2.0, 4.0), (3.0, 6.0)]
    assert on_line == [(1.0, 1.5), (2.0, 3.0), (3.0, 4.5)]  # exact in binary
    assert "residual xᵢ·w − yᵢ" in legend_texts(pane)


def test_residuals_are_seen_whole(qtbot, pane) -> None:
    pane.set_line(0.2)  # the line far below the points
    show(qtbot, pane)
    (x_low, x_high), (y_low, y_high) = view(pane).viewRange()
    at_points, on_line = segments(pane)
    for x, y in at_points + on_line:
        assert x_low <= x <= x_high and y_low <= y <= y_high


def test_residuals_are_hidden_for_many_points_and_for_no_line(pane) -> None:
    x = np.linspace(0.0, 10.0, 500)
    pane.set_points(x, 2.0 * x + np.sin(x))
    pane.set_line(1.0)
    assert not item(pane, "residuals").isVisible()
    assert not any(item(pane, f"share{i}").isVisible() for i in range(12))
    assert not any("residual" in text or "share" in text for text in legend_texts(pane))
    pane.set_points(np.array(TUTORIAL_X), np.array(TUTORIAL_Y))
    assert item(pane, "residuals").isVisible()
    assert "residual xᵢ·w − yᵢ" in legend_texts(pane)
    pane.set_line(math.nan)
    assert not item(pane, "residuals").isVisible()
    assert not item(pane, "share0").isVisible()


def test_residual_colour_is_painted(qtbot, pane) -> None:
    show(qtbot, pane)
    drawn = count_colour(pane, PURPLE)
    pane.set_line(math.nan)
    legend_sample = count_colour(pane, PURPLE)
    assert drawn > legend_sample + 150  # three segments of 2 px, many pixels long


# --------------------------------------------------------------------------- shares


def test_shares_are_each_points_part_of_the_gradient(pane) -> None:
    assert shares(pane) == pytest.approx([-2 / 3, -8 / 3, -6.0], abs=1e-3)
    assert [item(pane, f"share{i}").toPlainText() for i in range(3)] == [
        "−0.6667",
        "−2.667",
        "−6",
    ]
    run = Run(Dataset.tutorial())
    run.advance(1)
    assert run.history.params[0, 0] == 1.0
    assert sum(shares(pane)) == pytest.approx(run.history.grad[0, 0], abs=1e-3)
    assert item(pane, "shareSum").toPlainText() == "sum of shares = gradient = −9.333"
    texts = legend_texts(pane)
    assert "share of the gradient < 0: w up" in texts
    assert "share of the gradient > 0: w down" in texts


def test_the_sum_of_shares_is_left_out_of_a_view_too_narrow_for_it(qtbot, pane) -> None:
    """In the smallest window the note was cut at the view's left edge ("res = gradient =
    −0.4937"); it is left out there, and back when the pane is wider."""
    show(qtbot, pane)
    total = item(pane, "shareSum")
    assert total.isVisible()
    pane.resize(200, 300)
    qtbot.waitUntil(lambda: not total.isVisible(), timeout=2000)
    assert total.card_size()[0] > pane.getPlotItem().getViewBox().width() - 12
    pane.set_line(1.5)  # a frame: the note stays out
    assert not total.isVisible()
    pane.resize(600, 400)
    qtbot.waitUntil(total.isVisible, timeout=2000)
    assert total.toPlainText().startswith("sum of shares = gradient = ")


def test_shares_follow_the_run_and_sum_to_its_gradient(pane) -> None:
    run = Run(Dataset.tutorial())
    run.run_to_end()
    labels = [item(pane, f"share{i}") for i in range(3)]
    for epoch in (0, 1, 5, 30):
        w = float(run.history.params[epoch, 0])
        pane.set_line(w)
        x, y = np.array(TUTORIAL_X), np.array(TUTORIAL_Y)
        assert shares(pane) == pytest.approx(2 * x * (x * w - y) / 3, rel=1e-3)
        assert sum(shares(pane)) == pytest.approx(run.history.grad[epoch, 0], rel=1e-3)
        assert [item(pane, f"share{i}") for i in range(3)] == labels  # reused, not new


def test_shares_are_coloured_by_where_they_push_w(pane) -> None:
    pane.set_line(1.0)  # all below the points: every share < 0, w goes up
    up = {item(pane, f"share{i}")._pen.color().name() for i in range(3)}
    pane.set_line(3.0)  # all above: every share > 0, w goes down
    down = {item(pane, f"share{i}")._pen.color().name() for i in range(3)}
    assert len(up) == 1 and len(down) == 1 and up != down
    assert all(item(pane, f"share{i}").toPlainText().startswith("+") for i in range(3))


def test_b_shares_for_the_line_model(pane) -> None:
    pane.set_b_shares_visible(True)
    pane.set_line(1.0, 0.5)
    x, y = Dataset.tutorial().x, Dataset.tutorial().y
    texts = [item(pane, f"share{i}").toPlainText() for i in range(3)]
    b_parts = [float(text.split("b ")[1].replace("−", "-")) for text in texts]
    w_parts = [float(text.split(",")[0][2:].replace("−", "-")) for text in texts]
    gradient_w, gradient_b = LineModel().gradient([1.0, 0.5], x, y)
    assert sum(w_parts) == pytest.approx(gradient_w, abs=1e-3)
    assert sum(b_parts) == pytest.approx(gradient_b, abs=1e-3)
    assert "residual xᵢ·w + b − yᵢ" in legend_texts(pane)
    pane.set_b_shares_visible(False)
    assert shares(pane) == pytest.approx(2 * x * (x * 1.0 + 0.5 - y) / 3, abs=1e-3)


def test_shares_only_for_a_few_points(pane) -> None:
    x = np.arange(1.0, 14.0)
    pane.set_points(x, 2.0 * x)
    pane.set_line(1.0)
    assert item(pane, "residuals").isVisible()  # 13 residuals are still clear
    assert shares(pane) == [] and not item(pane, "shareSum").isVisible()
    assert not any("share" in text for text in legend_texts(pane))
    pane.set_points(x[:12], 2.0 * x[:12])
    assert len(shares(pane)) == 12


def test_a_run_frame_costs_one_paint_with_residuals_and_shares(qtbot, pane) -> None:
    run = Run(Dataset.tutorial())
    run.run_to_end()
    pane.set_prediction(4.0, 4.0, 4.0)
    show(qtbot, pane)
    painted = _PaintCounter(pane)
    for epoch in range(1, 8):
        w = float(run.history.params[epoch, 0])
        pane.set_line(w)
        pane.set_prediction(4.0, 4.0, 4.0 * w)
        before = painted.count
        qtbot.wait(30)
        assert painted.count - before == 1, f"epoch {epoch}"


class _PaintCounter(QObject):
    """Counts the paint events of a pane's viewport."""

    def __init__(self, pane: pg.PlotWidget) -> None:
        super().__init__(pane)
        self.count = 0
        pane.viewport().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        self.count += event.type() == QEvent.Type.Paint
        return False


# --------------------------------------------------------------------------- dragging


def test_dragging_a_point_moves_it_and_reports_its_index(qtbot, pane) -> None:
    pane.set_points_draggable(True)
    show(qtbot, pane)
    moved, finished = record(pane)
    # Where the point is drawn at each move (the view holds still during the drag).
    under_mouse: list[QPoint] = []
    pane.point_dragged.connect(lambda _, x, y: under_mouse.append(pixel(pane, x, y)))
    start, end = pixel(pane, 2.0, 4.0), pixel(pane, 2.5, 5.0)
    drag(qtbot, pane, path(start, end))
    assert moved and finished
    assert {i for i, _, _ in moved} == {1}
    index, x, y = finished[-1]
    assert index == 1
    assert (x, y) == moved[-1][1:]  # released where it was last moved
    here = under_mouse[-1]
    assert abs(here.x() - end.x()) <= 2 and abs(here.y() - end.y()) <= 2
    # The pane moved the point itself (no controller here), and its residual and share.
    px, py = item(pane, "points").getData()
    assert (px[1], py[1]) == pytest.approx((x, y))
    assert (px[0], py[0]) == (1.0, 2.0)
    assert segments(pane)[0][1] == pytest.approx((x, y))
    assert shares(pane)[1] == pytest.approx(2 * x * (x * 1.0 - y) / 3, abs=1e-3)


def test_the_view_holds_still_while_a_point_is_dragged(qtbot, pane) -> None:
    pane.set_points_draggable(True)
    show(qtbot, pane)
    ranges = []
    # The controller answers each move with the new data, as it will.
    data = np.array([TUTORIAL_X, TUTORIAL_Y])

    def answer(i: int, x: float, y: float) -> None:
        data[:, i] = (x, y)
        pane.set_points(data[0], data[1])
        ranges.append(view(pane).viewRange())

    pane.point_dragged.connect(answer)
    (x_low, x_high), (y_low, y_high) = view(pane).viewRange()
    drag(qtbot, pane, path(pixel(pane, 3.0, 6.0), pixel(pane, x_high, y_high), 8))
    assert ranges and all(r == ranges[0] for r in ranges)
    # Released at the edge: then the view fits the data again (the point inside it).
    pane.grab()
    (x_low, x_high), (y_low, y_high) = view(pane).viewRange()
    assert x_low < data[0, 2] < x_high and y_low < data[1, 2] < y_high


def test_a_drag_off_the_points_pans_and_emits_nothing(qtbot, pane) -> None:
    pane.set_points_draggable(True)
    show(qtbot, pane)
    moved, finished = record(pane)
    before = view(pane).viewRange()
    drag(qtbot, pane, path(pixel(pane, 2.5, 2.0), pixel(pane, 3.0, 3.0)))
    assert moved == [] and finished == []
    assert view(pane).viewRange()[0] != before[0]  # panned
    assert item(pane, "points").getData()[1].tolist() == TUTORIAL_Y


def test_points_are_not_draggable_when_disabled_or_thinned(qtbot, pane) -> None:
    assert not pane.points_draggable()  # until the controller allows it
    pane.set_points_draggable(True)
    assert pane.points_draggable()
    pane.set_points_draggable(False)
    show(qtbot, pane)
    moved, finished = record(pane)
    before = view(pane).viewRange()
    drag(qtbot, pane, path(pixel(pane, 2.0, 4.0), pixel(pane, 2.5, 5.0)))
    assert moved == [] and finished == []
    assert view(pane).viewRange() != before  # the view panned instead
    pane.set_points_draggable(True)
    x = np.linspace(0.0, 1.0, 20_000)
    pane.set_points(x, x)  # thinned: a drawn point is not a point of the data
    assert not pane.points_draggable()
    pane.set_points(x[:100], x[:100])
    assert pane.points_draggable()


def test_the_index_counts_the_points_as_given(qtbot, pane) -> None:
    pane.set_points_draggable(True)
    pane.set_points(np.array([1.0, np.nan, 2.0, 3.0]), np.array([2.0, 0.0, 4.0, 6.0]))
    show(qtbot, pane)
    _, finished = record(pane)
    drag(qtbot, pane, path(pixel(pane, 2.0, 4.0), pixel(pane, 2.2, 4.5)))
    assert finished and finished[-1][0] == 2


def test_hovering_a_draggable_point_shows_a_hand(qtbot, pane) -> None:
    pane.set_points_draggable(True)
    show(qtbot, pane)
    grabber = item(pane, "pointGrabber")
    qtbot.mouseMove(pane.viewport(), pixel(pane, 2.5, 2.0))
    qtbot.wait(20)
    assert not grabber.hasCursor()
    qtbot.mouseMove(pane.viewport(), pixel(pane, 2.0, 4.0) + QPoint(2, 1))
    qtbot.wait(20)
    assert grabber.hasCursor()
    assert grabber.cursor().shape() == Qt.CursorShape.OpenHandCursor
    pane.set_points_draggable(False)
    assert not grabber.hasCursor()


# --------------------------------------------------------------------------- the picture


def test_a_closed_pane_whose_legend_still_changes_raises_nothing(qtbot) -> None:
    """Closing a pane tears its plot down before its legend, which may still say it moved
    or was hidden: the pane then places nothing (it raised in Qt's event loop)."""
    pane = DataFitPane()  # (closed here: pyqtgraph's plot widget cannot be closed twice)
    pane.resize(600, 400)
    pane.set_points(np.array(TUTORIAL_X), np.array(TUTORIAL_Y))
    pane.set_line(1.0)
    pane.set_prediction(4.0, 4.0, 4.0)
    show(qtbot, pane)
    legend = pane._legend
    pane.close()
    assert pane.getPlotItem() is None
    legend.setVisible(False)  # as the teardown does (pytest-qt fails on an exception)
    legend.setVisible(True)


def test_the_tutorial_picture(qtbot) -> None:
    """Saved for a look: the tutorial's data at w = 1.25, at the pane's usual size."""
    pane = DataFitPane()
    qtbot.addWidget(pane)
    pane.resize(500, 360)
    data_set = Dataset.tutorial()
    pane.set_points(data_set.x, data_set.y)
    pane.set_line(1.25)
    pane.set_prediction(4.0, 4.0, 5.0)
    show(qtbot, pane)
    qtbot.wait(200)  # the legend settles in its corner
    (legend,) = [obj for obj in pane.scene().items() if isinstance(obj, pg.LegendItem)]
    box = on_screen(pane, legend)
    for i in range(3):
        label = on_screen(pane, item(pane, f"share{i}"))
        assert label.width() > 10 and not box.intersects(label), i
    assert shares(pane) == pytest.approx([-0.5, -2.0, -4.5])
    assert item(pane, "shareSum").toPlainText() == "sum of shares = gradient = −7"


@pytest.mark.parametrize("size", [(500, 340), (460, 306)])
def test_the_legend_leaves_the_shares_readable_in_the_windows_pane(qtbot, size) -> None:
    """At the sizes the window gives the pane, through the tutorial's run, the legend
    covers no share of the gradient (nor its point, the prediction's labels or the sum)."""
    pane = DataFitPane()
    qtbot.addWidget(pane)
    pane.resize(*size)
    data_set = Dataset.tutorial()
    pane.set_points(data_set.x, data_set.y)
    run = Run(data_set)
    run.run_to_end()
    show(qtbot, pane)
    (legend,) = [obj for obj in pane.scene().items() if isinstance(obj, pg.LegendItem)]
    for epoch in (0, 1, 2, 5, 10, 30, 100):
        w = float(run.history.params[epoch, 0])
        pane.set_line(w)
        pane.set_prediction(4.0, 4.0, 4.0 * w)
        qtbot.wait(200)  # the legend's placement waits a little while a run plays
        pane.grab()
        box = on_screen(pane, legend)
        for i in range(3):
            label = item(pane, f"share{i}")
            assert label.isVisible()
            assert not box.intersects(on_screen(pane, label)), (epoch, i)
            point = view(pane).mapViewToScene(QPointF(data_set.x[i], data_set.y[i]))
            assert not box.contains(point), (epoch, i)
        for name in ("beforeLabel", "nowLabel", "shareSum"):
            assert not box.intersects(on_screen(pane, item(pane, name))), (epoch, name)
        # Nor does a share's text stand on a prediction's (each is shown, and readable).
        for i in range(3):
            for name in ("beforeLabel", "nowLabel"):
                share = text_on_screen(pane, item(pane, f"share{i}"))
                assert not share.intersects(text_on_screen(pane, item(pane, name))), (epoch, i)
    # The rows for what carries no label of its own; the points and the prediction do.
    assert legend_texts(pane) == [
        "fitted line y = 1.9999·x",
        "residual xᵢ·w − yᵢ",
        "share of the gradient < 0: w up",
        "share of the gradient > 0: w down",
    ]


def test_in_a_pane_too_small_for_all_a_share_gives_way_to_the_predictions_labels(qtbot) -> None:
    """In the smallest window (a data view of about 165×107 pixels) the shares of the tutorial's
    third epoch stood on "now: 5.0187" and "before: 4.0", and neither could be read: a
    share takes a place beside, below or above its point, on either side, clear of them,
    or is left out where there is none; all are back when the pane has room."""
    pane = DataFitPane()
    qtbot.addWidget(pane)
    pane.resize(190, 160)
    pane.set_points(np.array(TUTORIAL_X), np.array(TUTORIAL_Y))
    run = Run(Dataset.tutorial())
    run.run_to_end()
    w = float(run.history.params[3, 0])
    pane.set_line(w)
    pane.set_prediction(4.0, 4.0, 4.0 * w)
    show(qtbot, pane)
    labels = [item(pane, name) for name in ("beforeLabel", "nowLabel")]
    assert [label.toPlainText() for label in labels] == ["before: 4.0", "now: 5.0187"]

    def shown_shares() -> list[int]:
        return [i for i in range(3) if item(pane, f"share{i}").isVisible()]

    def collisions() -> list[int]:
        return [
            i
            for i in shown_shares()
            for label in labels
            if text_on_screen(pane, item(pane, f"share{i}")).intersects(text_on_screen(pane, label))
        ]

    assert shown_shares() and not collisions()
    pane.set_line(w)  # another frame
    assert shown_shares() and not collisions()
    assert len(shown_shares()) < 3  # (one had no room: else this tests less)
    # One left out for want of room is not shown again where the pane wants none shown.
    pane.set_line(math.nan)
    assert shown_shares() == []
    pane.resize(600, 400)
    qtbot.wait(50)
    assert shown_shares() == []
    pane.set_line(w)
    qtbot.waitUntil(lambda: shown_shares() == [0, 1, 2], timeout=2000)
    assert shares(pane) == pytest.approx(
        [
            float(s)
            for s in (2 * 1 * (1 * w - 2) / 3, 2 * 2 * (2 * w - 4) / 3, 2 * 3 * (3 * w - 6) / 3)
        ],
        rel=1e-3,
    )


def test_the_least_squares_line_is_marked_faintly_and_named_when_there_is_room(qtbot) -> None:
    pane = DataFitPane()
    qtbot.addWidget(pane)
    pane.resize(500, 360)
    data_set = Dataset.tutorial()
    pane.set_points(data_set.x, data_set.y)
    pane.set_line(1.0)
    pane.set_optimum(2.0)
    show(qtbot, pane)
    best = item(pane, "best")
    xs, ys = best.getData()
    assert best.isVisible() and (ys[1] - ys[0]) / (xs[1] - xs[0]) == pytest.approx(2.0)
    (legend,) = [obj for obj in pane.scene().items() if isinstance(obj, pg.LegendItem)]
    rows = [text.text for sample, text in legend.items if text.isVisible()]
    assert not any("best fit" in row for row in rows)  # three points carry shares: no room
    x = np.linspace(0.0, 10.0, 50)
    pane.set_points(x, 3.0 * x - 1.0)
    pane.set_optimum(3.0, -1.0)
    rows = [text.text for sample, text in legend.items if text.isVisible()]
    assert "best fit y = 3.0·x − 1.0" in rows
    pane.set_optimum(float("nan"))
    assert not best.isVisible()
