"""The (w, b) cost landscape pane, driven as a real widget offscreen: setters in, pixels and
signals out."""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import QPoint, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QImage

from gd_viewer.bench_landscape import bench
from gd_viewer.core import Dataset, Run
from gd_viewer.core.models import LineModel, OriginModel
from gd_viewer.core.quadratic import LineQuadratic
from gd_viewer.core.settings import RunSettings
from gd_viewer.gui.panes import landscape as landscape_module
from gd_viewer.gui.panes.landscape import COLOUR_MAP, MAX_PATH_DOTS, LandscapePane
from gd_viewer.gui.panes.landscape_grid import contour_segments, log_excess
from gd_viewer.gui.panes.pinned import pin_colour
from gd_viewer.gui.panes.style import GREEN, ORANGE, VERMILLION, short_number
from tests.gui.plot_input import drag, item, on_screen, pixel, show, view

pytestmark = pytest.mark.gui

#: The tutorial's kind of data, with an intercept: y = 2x + 1 exactly.
LINE = Dataset([1.0, 2.0, 3.0, 4.0], [3.0, 5.0, 7.0, 9.0])


# --------------------------------------------------------------------------- helpers


@pytest.fixture
def pane(qtbot) -> Iterator[LandscapePane]:
    """A landscape pane at 600×400, owned by qtbot."""
    result = LandscapePane()
    qtbot.addWidget(result)
    result.resize(600, 400)
    yield result


def at_pixel(pane: pg.PlotWidget, point: QPoint) -> tuple[float, float]:
    """The (w, b) under viewport pixel ``point``."""
    where = view(pane).mapSceneToView(pane.mapToScene(point))
    return float(where.x()), float(where.y())


def pixel_size(pane: pg.PlotWidget) -> tuple[float, float]:
    """The width and height of a pixel in view units."""
    (w0, w1), (b0, b1) = view(pane).viewRange()
    return (w1 - w0) / view(pane).width(), (b1 - b0) / view(pane).height()


def image_rect(pane: LandscapePane) -> QRectF:
    """The part of the view the image covers, in view coordinates."""
    image = item(pane, "image")
    return image.mapRectToView(image.boundingRect())


def image_value(pane: LandscapePane, w: float, b: float) -> tuple[float, float, float]:
    """The image's value in the cell holding (w, b), and the centre of that cell."""
    image = item(pane, "image")
    z = np.asarray(image.image)
    rect = image_rect(pane)
    n_w, n_b = z.shape  # column-major: the first index runs along w
    i = int((w - rect.left()) / rect.width() * n_w)
    j = int((b - rect.top()) / rect.height() * n_b)
    assert 0 <= i < n_w and 0 <= j < n_b
    centre_w = rect.left() + (i + 0.5) * rect.width() / n_w
    centre_b = rect.top() + (j + 0.5) * rect.height() / n_b
    return float(z[i, j]), centre_w, centre_b


def inner_pixels(pane: LandscapePane, count: int = 7) -> list[QPoint]:
    """A count × count grid of viewport pixels inside the view, clear of its edges."""
    rect = pane.mapFromScene(view(pane).sceneBoundingRect()).boundingRect()
    xs = np.linspace(rect.left() + 10, rect.right() - 10, count).round().astype(int)
    ys = np.linspace(rect.top() + 10, rect.bottom() - 10, count).round().astype(int)
    return [QPoint(int(x), int(y)) for x in xs for y in ys]


def assert_image_matches_core(pane: LandscapePane, quadratic: LineQuadratic) -> None:
    """The image covers the view, and its cells hold the core's cost (log scale)."""
    (w0, w1), (b0, b1) = view(pane).viewRange()
    rect = image_rect(pane)
    assert (rect.left(), rect.right()) == pytest.approx((w0, w1), rel=1e-9, abs=1e-12)
    assert (rect.top(), rect.bottom()) == pytest.approx((b0, b1), rel=1e-9, abs=1e-12)
    z = np.asarray(item(pane, "image").image)
    cell_w, cell_b = rect.width() / z.shape[0], rect.height() / z.shape[1]
    for point in inner_pixels(pane):
        w, b = at_pixel(pane, point)
        value, centre_w, centre_b = image_value(pane, w, b)
        assert abs(centre_w - w) <= cell_w / 2 + 1e-9 and abs(centre_b - b) <= cell_b / 2 + 1e-9
        cost = quadratic.cost_grid(np.array(centre_w), np.array(centre_b))
        expected = float(log_excess(cost, quadratic.min_cost, pane.tiny))
        assert value == pytest.approx(expected, rel=1e-6, abs=1e-5)


def grabbed(pane: pg.PlotWidget) -> np.ndarray:
    """The grabbed pane as an (height, width, 3) RGB array in viewport pixels."""
    image = pane.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    ratio = image.devicePixelRatio()
    pixels = np.frombuffer(image.constBits(), dtype=np.uint8).reshape(
        image.height(), image.bytesPerLine() // 4, 4
    )[:, : image.width(), 2::-1]
    step = max(round(ratio), 1)
    return pixels[::step, ::step].copy()  # the image's memory goes with it


def count_colour(pixels: np.ndarray, colour: str, tolerance: int = 30) -> int:
    target = QColor(colour)
    rgb = np.array([target.red(), target.green(), target.blue()])
    return int((np.abs(pixels.astype(int) - rgb).max(axis=2) <= tolerance).sum())


def line_run(epochs: int = 60) -> np.ndarray:
    """The (w, b) of plain gradient descent on LINE from (0, 0)."""
    run = Run(LINE, RunSettings(model="line", lr=0.05, epochs=epochs, w0=0.0, b0=0.0))
    run.run_to_end()
    return np.asarray(run.history.params)


# --------------------------------------------------------------------------- the image


def test_names_and_items_made_once(pane) -> None:
    assert pane.objectName() == "landscapePane"
    assert pane.accessibleName()
    names = ("image", "contours", "path", "pathDots", "current", "optimum", "optimumLabel")
    before = [item(pane, name) for name in names]
    for k in range(2):
        pane.set_quadratic(LineModel().quadratic(LINE))
        pane.set_view((-1.0 - k, 4.0), (-2.0, 3.0 + k))
        pane.set_path([0.0, 1.0], [0.0, 0.5])
        pane.set_current(1.0, 0.5)
        pane.grab()
    assert [item(pane, name) for name in names] == before


def test_the_image_is_the_cores_cost_on_a_log_scale(qtbot, pane) -> None:
    rng = np.random.default_rng(1)
    x = rng.uniform(-2.0, 5.0, 500)
    data = Dataset(x, 1.5 * x - 0.7 + rng.normal(0.0, 0.3, x.size))
    quadratic = LineModel().quadratic(data)
    assert isinstance(quadratic, LineQuadratic)
    pane.set_quadratic(quadratic)
    pane.set_view((-1.0, 4.0), (-3.0, 2.0))
    show(qtbot, pane)
    assert item(pane, "image").isVisible()
    assert np.asarray(item(pane, "image").image).shape == (200, 200)
    assert_image_matches_core(pane, quadratic)


def test_the_image_is_drawn_in_the_colours_of_the_map(qtbot, pane) -> None:
    quadratic = LineModel().quadratic(LINE)
    pane.set_quadratic(quadratic)
    pane.set_view((-1.0, 5.0), (-3.0, 4.0))
    show(qtbot, pane)
    image = item(pane, "image")
    low, high = image.getLevels()
    colours = pg.colormap.get(COLOUR_MAP)
    pixels = grabbed(pane)
    legend = pane.mapFromScene(
        next(i for i in pane.scene().items() if isinstance(i, pg.LegendItem)).sceneBoundingRect()
    ).boundingRect()
    label = on_screen(pane, item(pane, "optimumLabel"))
    checked = matched = 0
    for point in inner_pixels(pane, 9):
        if legend.contains(point) or label.contains(QPointF(point)):
            continue
        value, _, _ = image_value(pane, *at_pixel(pane, point))
        share = min(max((value - low) / (high - low), 0.0), 1.0)
        expected = colours.map(np.array([share]), mode=pg.ColorMap.BYTE)[0][:3]
        drawn = pixels[point.y(), point.x()]
        checked += 1
        # Contour lines and the star cross a few of the pixels.
        matched += int(np.abs(drawn.astype(int) - expected.astype(int)).max() <= 12)
    assert checked >= 50
    assert matched >= 0.85 * checked
    # Both ends of the map show: the valley is dark, the rim is light.
    dark = colours.map(np.array([0.05]), mode=pg.ColorMap.BYTE)[0][:3]
    light = colours.map(np.array([0.95]), mode=pg.ColorMap.BYTE)[0][:3]
    for colour in (dark, light):
        assert count_colour(pixels, QColor(*(int(c) for c in colour)).name()) > 100


def test_a_change_of_view_samples_the_image_again_once(qtbot, pane, monkeypatch) -> None:
    calls: list[tuple[float, float]] = []
    real_sample = landscape_module.sample

    def counting(*args: Any, **kwargs: Any) -> Any:
        calls.append(args[1])
        return real_sample(*args, **kwargs)

    monkeypatch.setattr(landscape_module, "sample", counting)
    quadratic = LineModel().quadratic(LINE)
    pane.set_quadratic(quadratic)
    pane.set_view((-1.0, 4.0), (-2.0, 3.0))
    show(qtbot, pane)
    assert_image_matches_core(pane, quadratic)
    calls.clear()
    for shift in (0.5, 1.0, 1.5):  # three changes in one frame
        pane.set_view((-1.0 + shift, 4.0 + shift), (-2.0, 3.0 + shift))
    qtbot.wait(30)
    pane.grab()
    assert calls == [pytest.approx((0.5, 5.5))]
    assert_image_matches_core(pane, quadratic)


def test_a_new_quadratic_samples_the_image_again(qtbot, pane) -> None:
    pane.set_quadratic(LineModel().quadratic(LINE))
    pane.set_view((-1.0, 4.0), (-2.0, 3.0))
    show(qtbot, pane)
    other = LineModel().quadratic(Dataset([0.0, 1.0, 2.0], [1.0, 0.0, 2.0]))
    assert isinstance(other, LineQuadratic)
    pane.set_quadratic(other)
    pane.grab()
    assert_image_matches_core(pane, other)


def test_contour_segments_lie_on_their_levels_and_join_up() -> None:
    xs = np.linspace(-2.0, 2.0, 81)
    ys = np.linspace(-2.0, 2.0, 61)
    z = xs[:, None] ** 2 + ys[None, :] ** 2
    x, y = contour_segments(xs, ys, z, [1.1])  # a level no sample has exactly
    assert x.size > 100 and x.size % 2 == 0
    h = max(xs[1] - xs[0], ys[1] - ys[0])
    assert np.abs(x**2 + y**2 - 1.1).max() <= h**2  # linear interpolation along an edge
    # A closed curve: each point is the end of exactly two segments.
    _, counts = np.unique(np.round(np.column_stack((x, y)), 9), axis=0, return_counts=True)
    assert set(counts.tolist()) == {2}
    # A saddle (z = x·y) and a level that is not finite nowhere matter.
    z = xs[:, None] * ys[None, :]
    z[0, 0] = np.nan
    x, y = contour_segments(xs, ys, z, [0.01, -0.3])
    assert np.isfinite(x).all() and np.isfinite(y).all()
    levels = np.where(x * y > -0.15, 0.01, -0.3)
    assert np.abs(x * y - levels).max() <= h**2


# --------------------------------------------------------------------------- markers


def test_the_optimum_is_the_least_squares_fit(qtbot, pane) -> None:
    rng = np.random.default_rng(2)
    x = rng.uniform(0.0, 3.0, 200)
    y = -0.8 * x + 2.5 + rng.normal(0.0, 0.2, x.size)
    quadratic = LineModel().quadratic(Dataset(x, y))
    expected = np.linalg.lstsq(np.column_stack((x, np.ones_like(x))), y, rcond=None)[0]
    pane.set_quadratic(quadratic)
    pane.fit_view([(0.0, 0.0)])
    show(qtbot, pane)
    star = item(pane, "optimum")
    (w,), (b,) = star.getData()
    assert (w, b) == pytest.approx(tuple(expected), rel=1e-9)
    centre = on_screen(pane, star).center()
    target = pixel(pane, w, b)
    assert abs(centre.x() - target.x()) <= 1.0 and abs(centre.y() - target.y()) <= 1.0
    assert star.isVisible()
    assert item(pane, "optimumLabel").toPlainText() == (
        f"(w*, b*) = ({expected[0]:.4g}, {expected[1]:.4g})".replace("-", "−")
    )


def test_the_optimum_label_is_left_out_of_a_view_too_narrow_for_it(qtbot, pane) -> None:
    """Three panes abreast in the smallest window: cut off at the view's edge, the label
    read ") = (1.408, 1.97"; it is left out there (the star stays), and back when wider."""
    x = np.linspace(0.1, 3.0, 30)
    noise = np.random.default_rng(4).normal(0.0, 0.3, x.size)
    pane.set_quadratic(LineModel().quadratic(Dataset(x, 1.5 * x + 2.0 + noise)))
    pane.fit_view([(0.0, 0.0)])
    show(qtbot, pane)
    label, star = item(pane, "optimumLabel"), item(pane, "optimum")
    assert label.isVisible()

    pane.resize(190, 300)
    qtbot.waitUntil(lambda: not label.isVisible(), timeout=2000)
    view_width = pane.getPlotItem().getViewBox().width()
    assert label.card_size()[0] > view_width  # (it could not have fitted)
    assert star.isVisible()
    pane.resize(600, 400)
    qtbot.waitUntil(label.isVisible, timeout=2000)


def test_fit_view_holds_the_optimum_and_the_points_with_room(qtbot, pane) -> None:
    pane.set_quadratic(LineModel().quadratic(LINE))  # optimum (2, 1)
    pane.fit_view([(0.0, 0.0), (-1.0, 3.0)])
    (w0, w1), (b0, b1) = view(pane).viewRange()
    assert w0 < -1.0 and w1 > 2.0 and b0 < 0.0 and b1 > 3.0
    assert w1 - w0 < 2.0 * 3.0 and b1 - b0 < 2.0 * 3.0  # room, not a vast view
    pane.fit_view([(2.0, 1.0)])  # only the optimum itself: still a view with some extent
    (w0, w1), (b0, b1) = view(pane).viewRange()
    assert w0 < 2.0 < w1 and b0 < 1.0 < b1


def test_path_and_current_point_land_where_set(qtbot, pane) -> None:
    pane.set_quadratic(LineModel().quadratic(LINE))
    params = line_run(20)
    pane.fit_view(params.tolist())
    show(qtbot, pane)
    pane.set_path(params[:, 0], params[:, 1])
    pane.set_current(*params[-1])
    path, dots, current = item(pane, "path"), item(pane, "pathDots"), item(pane, "current")
    np.testing.assert_array_equal(path.getData()[0], params[:, 0])
    np.testing.assert_array_equal(path.getData()[1], params[:, 1])
    np.testing.assert_array_equal(dots.getData()[0], params[:, 0])
    assert path.isVisible() and dots.isVisible() and current.isVisible()
    centre = on_screen(pane, current).center()
    target = pixel(pane, *params[-1])
    assert abs(centre.x() - target.x()) <= 1.0 and abs(centre.y() - target.y()) <= 1.0
    w, b = (short_number(v) for v in params[-1])
    assert f"now: ({w}, {b})" in [
        text.text
        for _, text in next(i for i in pane.scene().items() if isinstance(i, pg.LegendItem)).items
    ]
    pixels = grabbed(pane)
    for colour in (ORANGE, VERMILLION, GREEN):
        assert count_colour(pixels, colour) > 20, colour


def test_a_long_stochastic_path_is_a_line_without_dots(qtbot, pane) -> None:
    pane.set_quadratic(LineModel().quadratic(LINE))
    pane.set_view((-1.0, 4.0), (-2.0, 3.0))
    show(qtbot, pane)
    rng = np.random.default_rng(3)
    n = 5000
    w = np.linspace(0.0, 2.0, n) + rng.normal(0.0, 0.05, n)
    b = np.linspace(0.0, 1.0, n) + rng.normal(0.0, 0.05, n)
    w[10] = math.nan
    pane.set_path(w, b)
    path = item(pane, "path")
    assert path.getData()[0].size == n - 1 and path.isVisible()
    assert not item(pane, "pathDots").isVisible() and n > MAX_PATH_DOTS
    pane.grab()


def test_pinned_runs_are_drawn_under_the_live_one(qtbot, pane) -> None:
    pane.set_quadratic(LineModel().quadratic(LINE))
    pane.set_view((-1.0, 4.0), (-2.0, 3.0))
    pane.set_pinned([("lr 0.01", pin_colour(0), [0.0, 1.0, 2.0], [0.0, 0.5, 1.0])])
    line = item(pane, "pinnedRun0")
    assert line.getData()[0].tolist() == [0.0, 1.0, 2.0] and line.isVisible()
    assert line.zValue() < item(pane, "path").zValue()
    assert line.zValue() > item(pane, "image").zValue()
    show(qtbot, pane)
    pane.set_pinned([])
    assert not line.isVisible()


# --------------------------------------------------------------------------- picking


def test_a_click_picks_the_start_under_the_mouse_only_while_pickable(qtbot, pane) -> None:
    pane.set_quadratic(LineModel().quadratic(LINE))
    pane.set_view((-1.0, 4.0), (-2.0, 3.0))
    show(qtbot, pane)
    picked: list[tuple[float, float]] = []
    pane.start_picked.connect(lambda w, b: picked.append((w, b)))
    viewport = pane.viewport()
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=pixel(pane, 1.0, 0.5))
    qtbot.wait(20)
    assert picked == []  # not pickable
    pane.set_start_pickable(True)
    assert pane.start_pickable()
    with qtbot.waitSignal(pane.start_picked, timeout=1000) as blocker:
        qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=pixel(pane, 1.0, 0.5))
    w, b = blocker.args
    dw, db = pixel_size(pane)
    assert abs(w - 1.0) <= dw and abs(b - 0.5) <= db
    picked.clear()
    qtbot.wait(600)  # not a double click
    qtbot.mouseClick(viewport, Qt.MouseButton.MiddleButton, pos=pixel(pane, 2.0, 0.5))
    qtbot.wait(20)
    assert picked == []  # only the left button picks
    pane.set_start_pickable(False)
    qtbot.wait(600)
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=pixel(pane, 2.0, 0.5))
    qtbot.wait(20)
    assert picked == []


def test_a_drag_pans_picks_nothing_and_the_image_follows(qtbot, pane) -> None:
    quadratic = LineModel().quadratic(LINE)
    pane.set_quadratic(quadratic)
    pane.set_view((-1.0, 4.0), (-2.0, 3.0))
    pane.set_start_pickable(True)
    show(qtbot, pane)
    picked: list[tuple[float, float]] = []
    pane.start_picked.connect(lambda w, b: picked.append((w, b)))
    before = view(pane).viewRange()
    start = pixel(pane, 1.5, 0.5)
    drag(qtbot, pane, [start, start + QPoint(40, 10), start + QPoint(80, 20)])
    after = view(pane).viewRange()
    assert after[0][0] < before[0][0]  # dragged rightwards: the view moved to lower w
    assert picked == []
    pane.grab()
    assert_image_matches_core(pane, quadratic)


# --------------------------------------------------------------------------- not finite


def test_huge_data_and_far_views_never_hand_pyqtgraph_a_non_finite_value(qtbot, pane) -> None:
    x = np.array([-1e100, 0.0, 3e99, 1e100])
    huge = LineModel().quadratic(Dataset(x, np.array([1e100, -1e100, 5e99, 0.0])))
    assert isinstance(huge, LineQuadratic)
    pane.set_quadratic(huge)
    show(qtbot, pane)
    views = [
        ((-1.0, 1.0), (-1e100, 1e100)),
        ((1e150, 2e150), (-1e150, 1e150)),  # every cost overflows
        ((-1e300, 1e300), (-1e300, 1e300)),
        ((1e12, 1e12 + 1e-3), (5.0, 5.0 + 1e-3)),
    ]
    for w_range, b_range in views:
        pane.set_view(w_range, b_range)
        pane.grab()
        image = item(pane, "image")
        if image.isVisible():
            assert np.isfinite(np.asarray(image.image)).all()
            assert all(math.isfinite(level) for level in image.getLevels())
        contours = item(pane, "contours")
        assert all(np.isfinite(part).all() for part in contours.getData())
    small = LineModel().quadratic(LINE)
    pane.set_quadratic(small)
    pane.set_view((1e12, 1e12 + 1.0), (-1e12, -1e12 + 1.0))  # far away: costs near 1e25
    pane.grab()
    assert_image_matches_core(pane, small)
    for bad in (math.nan, math.inf, -math.inf):
        pane.set_view((0.0, bad), (0.0, 1.0))
        pane.set_current(bad, 0.0)
        pane.set_path([0.0, bad, 1.0], [0.0, 0.5, bad])
        pane.fit_view([(bad, 0.0)])
        pane.grab()
    assert not item(pane, "current").isVisible()
    assert item(pane, "path").getData()[0].tolist() == [0.0]
    pane.set_view((1.0, 1.0), (0.0, 1.0))  # empty: ignored
    pane.set_view((-1e308, 1e308), (0.0, 1.0))  # its width is not finite: ignored
    pane.set_quadratic(None)
    pane.grab()
    assert not item(pane, "image").isVisible() and not item(pane, "optimum").isVisible()
    pane.set_quadratic(small)
    pane.grab()
    assert item(pane, "image").isVisible()
    pane.set_quadratic(OriginModel().quadratic(LINE))  # one parameter: no landscape
    pane.grab()
    assert not item(pane, "image").isVisible() and not item(pane, "optimum").isVisible()


# --------------------------------------------------------------------------- speed


def test_the_benchmark_runs() -> None:
    figures = bench(points=10_000, repeats=2)
    assert set(figures) == {"quadratic from the data", "set_quadratic + paint", "total"}
    assert all(ms > 0.0 for ms in figures.values())
