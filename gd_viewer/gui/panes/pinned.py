"""Pinned runs drawn under the live run on a plot pane, one thin line each.

A pane owns a :class:`PinnedOverlay` and hands it the curves of the pinned runs
whenever the pins change (not every frame): the lines are then left alone, and
only repainted where something else is redrawn over them.

The colours of pins come from :data:`PIN_PALETTE`, indexed by the colour index that
:class:`gd_viewer.core.pins.PinnedRuns` gives each pin. It leaves out the colours the
live run is drawn in (blue curves, orange and vermillion markers and paths).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from numpy.typing import ArrayLike
from PySide6.QtGui import QColor, QPen

from gd_viewer.gui.panes.legend import Legend, LegendText, legend_entry
from gd_viewer.gui.panes.legend_placement import Obstacle
from gd_viewer.gui.panes.marker import Dot
from gd_viewer.gui.panes.polyline import Polyline
from gd_viewer.gui.panes.style import TEXT, FloatArray, pen

#: One colour per colour index of a pin (``gd_viewer.core.pins.PIN_COLOURS`` of them):
#: Okabe–Ito's reddish purple, bluish green, sky blue and black, an olive from Paul
#: Tol's colour-blind-safe set (Okabe–Ito's yellow is too pale on white), and grey.
PIN_PALETTE = ("#CC79A7", "#009E73", "#999933", "#56B4E9", "#000000", "#7F7F7F")
#: Width of a pinned run's line, in pixels: thinner than the live run's (2–2.5).
PIN_WIDTH = 1.5
#: Dashes and gaps of a pinned run's line, in line widths: the live run's lines are
#: solid, so a pin is told from the live run by more than its colour.
PIN_DASHES = (4.0, 2.0)
#: Pins are drawn under the live run's items (which sit at 0 and above).
PIN_Z = -1.0
#: Most points of one pinned line (thinned evenly, first and last kept): a long run
#: would otherwise cost milliseconds each time the part of the view it crosses is drawn.
MAX_PIN_POINTS = 4000
#: Width in pixels of the dot at a racing pin's current point (the live run's is 13).
HEAD_SIZE = 10
#: A racing pin's dot is drawn over the live run's lines (a race is about where each
#: run has got to), under the live run's marker (at 10).
HEAD_Z = 5.0

#: What :meth:`PinnedOverlay.set_runs` draws for one pin: its legend text, its colour,
#: and the x and y of its points (view coordinates, linear scale).
PinnedCurve = tuple[str, QColor, ArrayLike, ArrayLike]


def pin_colour(index: int) -> QColor:
    """The colour of colour index ``index`` (the palette repeats beyond its end)."""
    return QColor(PIN_PALETTE[index % len(PIN_PALETTE)])


def pin_pen(colour: QColor, dashed: bool = True) -> QPen:
    """The cosmetic pen of a pinned run's line."""
    result = pen(colour.name(), PIN_WIDTH)
    result.setColor(colour)  # keeps an alpha the name would drop
    if dashed:
        result.setDashPattern(list(PIN_DASHES))
    return result


def _thinned(
    xs: FloatArray, ys: FloatArray, limit: int = MAX_PIN_POINTS
) -> tuple[FloatArray, FloatArray]:
    """At most ``limit`` of the points, evenly spread, always with the first and last."""
    if xs.size <= limit:
        return xs, ys
    keep = np.unique(np.linspace(0, xs.size - 1, limit).round().astype(np.intp))
    return xs[keep], ys[keep]


class PinnedLine(Polyline):
    """A :class:`Polyline` that follows the plot's log axes, for a pinned run.

    It keeps the points it was given and draws their logarithms on a log axis
    (leaving out points ≤ 0 there), as a ``PlotDataItem`` does; points that are not
    finite are left out always. Not added to auto-ranging.
    """

    def __init__(self, line_pen: QPen) -> None:
        super().__init__(line_pen)
        self._raw: tuple[FloatArray, FloatArray] = (np.empty(0), np.empty(0))
        self._log = (False, False)

    def set_points(self, x: ArrayLike, y: ArrayLike) -> None:
        """Draw the points ``x``, ``y`` (on the axes' scales)."""
        xs = np.asarray(x, dtype=np.float64).ravel()
        ys = np.asarray(y, dtype=np.float64).ravel()
        if xs.shape != ys.shape:
            raise ValueError(f"x and y must have the same length, not {xs.size} and {ys.size}")
        self._raw = _thinned(xs, ys)
        self._draw()

    def points(self) -> tuple[FloatArray, FloatArray]:
        """The points given (thinned), before any log scale."""
        return self._raw

    def set_pen(self, line_pen: QPen) -> None:
        """Draw with ``line_pen`` from now on."""
        if line_pen == self._pen:
            return
        self.prepareGeometryChange()
        self._pen = QPen(line_pen)
        self._bounds = None
        self.update()

    def line_pen(self) -> QPen:
        """The pen the line is drawn with."""
        return QPen(self._pen)

    def setLogMode(self, x: bool, y: bool) -> None:
        """Follow the plot's log axes (the PlotItem calls this, as for its data items)."""
        log = (bool(x), bool(y))
        if log != self._log:
            self._log = log
            self._draw()

    def _draw(self) -> None:
        xs, ys = self._raw
        with np.errstate(divide="ignore", invalid="ignore"):
            if self._log[0]:
                xs = np.log10(xs)
            if self._log[1]:
                ys = np.log10(ys)
        keep = np.isfinite(xs) & np.isfinite(ys)
        if not keep.all():
            xs, ys = xs[keep], ys[keep]
        self.setData(xs, ys)
        self.setVisible(xs.size > 0)


class PinnedOverlay:
    """The pinned runs on one plot: a thin line per pin, and a legend entry per pin.

    Items are created when more pins are shown than ever before, and otherwise
    reused (their points, pen and text replaced); lines and legend rows beyond the
    pins shown are hidden. Nothing is done per frame.

    The lines do not take part in auto-ranging (added with ``ignoreBounds``): the
    view follows the live run, and a pinned run reaching beyond it is clipped (one
    that diverged would otherwise squash the live run into a corner). A pane that
    places its legend by what is drawn can count :meth:`obstacles` as still ones.

    Parameters
    ----------
    plot_item
        The plot to draw on.
    legend
        The pane's legend (from ``panes.legend.legend``), or None for no entries.
    dashed
        Dashed lines (the default, as the live run's are solid) or solid ones.
    """

    def __init__(
        self, plot_item: pg.PlotItem, legend: Legend | None = None, dashed: bool = True
    ) -> None:
        self._plot = plot_item
        self._legend = legend
        self._dashed = dashed
        self._lines: list[PinnedLine] = []
        self._heads: list[Dot] = []
        self._head_colours: list[QColor] = []
        self._entries: list[tuple[pg.ItemSample, LegendText]] = []
        self._shown = 0
        # The labels and colours in the legend, to leave it be when they stay (a race
        # draws the pins every frame).
        self._listed: tuple[tuple[str, str], ...] = ()

    def set_runs(self, runs: Sequence[PinnedCurve], heads: bool = False) -> None:
        """Draw ``runs`` (label, colour, x, y each), in place of those drawn before.

        ``heads``: a dot in the pin's colour at the last point of each (where a pin
        racing the live run has got to).
        """
        listed = tuple((label, QColor(colour).name(QColor.NameFormat.HexArgb))
                       for label, colour, _, _ in runs)  # fmt: skip
        for index, (label, colour, x, y) in enumerate(runs):
            line_pen = pin_pen(QColor(colour), self._dashed)
            if index == len(self._lines):
                self._lines.append(self._new_line(index, line_pen))
                self._heads.append(self._new_head(index))
                self._head_colours.append(QColor(TEXT))
            line = self._lines[index]
            line.set_pen(line_pen)
            line.set_points(x, y)
            self._show_head(index, QColor(colour), heads)
            if self._legend is not None and listed != self._listed:
                self._show_entry(index, label, line_pen)
        for line, head in zip(self._lines[len(runs) :], self._heads[len(runs) :], strict=True):
            line.hide()
            head.hide()
        for sample, text in self._entries[len(runs) :]:
            sample.hide()
            text.hide()
        self._shown = len(runs)
        if self._legend is not None and listed != self._listed:
            self._legend.refit()
        self._listed = listed

    def clear(self) -> None:
        """Draw no pinned run."""
        self.set_runs(())

    def lines(self) -> list[PinnedLine]:
        """The lines of the runs shown, in order."""
        return self._lines[: self._shown]

    def heads(self) -> list[Dot]:
        """The dots at the last points of the runs shown, in order (hidden without heads)."""
        return self._heads[: self._shown]

    def legend_texts(self) -> list[LegendText]:
        """The legend texts of the runs shown, in order (none without a legend)."""
        return [text for _, text in self._entries[: self._shown]]

    def obstacles(self) -> list[Obstacle]:
        """The lines shown as a legend placer's obstacles (points, weight 1)."""
        return [(*line.getData(), 1.0) for line in self.lines() if line.isVisible()]

    def _new_line(self, index: int, line_pen: QPen) -> PinnedLine:
        line = PinnedLine(line_pen)
        line.setObjectName(f"pinnedRun{index}")
        line.setZValue(PIN_Z)
        # The PlotItem (not only its ViewBox) gets it, so it follows the log axes too.
        self._plot.addItem(line, ignoreBounds=True)
        return line

    def _new_head(self, index: int, colour: QColor | None = None) -> Dot:
        brush = pg.mkBrush(colour if colour is not None else QColor(TEXT))
        head = Dot("o", HEAD_SIZE, pen=pg.mkPen(TEXT, width=1.0), brush=brush)
        head.setObjectName(f"pinnedRunHead{index}")
        head.setZValue(HEAD_Z)
        self._plot.addItem(head, ignoreBounds=True)
        return head

    def _show_head(self, index: int, colour: QColor, shown: bool) -> None:
        """The dot at the last point of line ``index``, in ``colour``, if ``shown``."""
        head = self._heads[index]
        xs, ys = self._lines[index].points()
        if not shown or not xs.size:
            head.hide()
            return
        if self._head_colours[index] != colour:  # a Dot's brush is fixed: a new one
            self._plot.removeItem(head)
            head = self._heads[index] = self._new_head(index, colour)
            self._head_colours[index] = QColor(colour)
        head.setData(xs[-1:], ys[-1:])

    def _show_entry(self, index: int, label: str, line_pen: QPen) -> None:
        assert self._legend is not None
        if index == len(self._entries):
            text = legend_entry(self._legend, label, pen=line_pen)
            sample = self._legend.items[-1][0]
            self._entries.append((sample, text))
            return
        sample, text = self._entries[index]
        if sample.item.opts["pen"] != line_pen:
            sample.item.setPen(line_pen)
            sample.update()
        text.setText(label)
        sample.show()
        text.show()
