"""Drawing a run at the playhead on the panes: what the controller does once a frame.

One :class:`RunDrawer` per window. It holds what the views keep between frames (the
w range of the w–loss pane, the predictions and the (w, b) the data and landscape
views hold) so that views change in steps, not with every frame.

For the line ``y = w·x + b`` the w–loss pane shows the slice of the cost at the
current b, and the landscape pane the cost over (w, b). A stochastic run (SGD,
mini-batches) is drawn with its path per update, noisy as it is, and its cost per
epoch.
"""

from __future__ import annotations

import math

import numpy as np

from gd_viewer.core.descent import Run, distances
from gd_viewer.core.pins import default_label
from gd_viewer.gui.panes import CostHistoryPane, DataFitPane, LossCurvePane
from gd_viewer.gui.panes.landscape import LandscapePane

#: The x at which the tutorial prints its prediction before and after training.
PREDICTION_X = 4.0
#: The data pane keeps in view the predictions of a run up to this many times the data's
#: height beyond the data (a run that runs away is followed as it plays instead).
PREDICTION_SPAN_REACH = 3.0
#: The landscape keeps in view the path of a run up to this many times the distance from
#: its start to the optimum (beyond, a run that runs away leaves the view).
PATH_SPAN_REACH = 4.0
#: Points of the parabola drawn on the w–loss pane.
CURVE_POINTS = 400
#: Most points of a line handed to a pane per frame (thinned evenly).
MAX_DRAWN_POINTS = 4000
#: Most dots of the visited-w trail: each is a symbol, far costlier than a line point.
MAX_TRAIL_POINTS = 150


def thinned(count: int, limit: int = MAX_DRAWN_POINTS) -> np.ndarray:
    """Indices ``0 … count-1``, at most ``limit`` of them, always with the first and last."""
    if count <= limit:
        return np.arange(count)
    return np.unique(np.linspace(0, count - 1, limit).round().astype(np.intp))


def predictions(params: np.ndarray, x: float = PREDICTION_X) -> np.ndarray:
    """The model's prediction at ``x`` for each row of ``params`` (``w`` or ``w, b``)."""
    result = x * params[:, 0]
    if params.shape[1] > 1:
        result = result + params[:, 1]
    return result


def update_rows(run: Run, epoch: int) -> int:
    """How many of a stochastic run's recorded updates come by the end of ``epoch``."""
    return int(np.searchsorted(run.history.update_position, epoch, side="right"))


class RunDrawer:
    """Draws a run, up to an epoch, on the w–loss, cost, data and landscape panes."""

    def __init__(
        self,
        loss_pane: LossCurvePane,
        cost_pane: CostHistoryPane,
        fit_pane: DataFitPane,
        landscape_pane: LandscapePane | None = None,
    ) -> None:
        self.loss_pane = loss_pane
        self.cost_pane = cost_pane
        self.fit_pane = fit_pane
        self.landscape_pane = landscape_pane
        self.w_range = (0.0, 0.0)
        self._slice_b: float | None = None
        # The predictions the data pane's view holds: of rows 0 … _span_rows − 1.
        self._span_rows = 0
        self._prediction_span: tuple[float, float] | None = None
        # The (w, b) the landscape's view holds: of rows 0 … _path_rows − 1.
        self._path_rows = 0
        self._path_span: tuple[float, float, float, float] | None = None
        self._pinned_paths: list[np.ndarray] = []

    # ------------------------------------------------------------ a new run

    def forget(self) -> None:
        """A new run is on its way: the views hold nothing of the last one."""
        self._span_rows, self._prediction_span = 0, None
        self._path_rows, self._path_span = 0, None
        self.fit_pane.set_prediction_span(math.nan, math.nan, math.nan)

    def show_run(self, run: Run, hold_view: bool) -> None:
        """Set up the panes for ``run`` (its optimum, the views around its start).

        ``hold_view``: the user is dragging something, keep the views where they are.
        """
        line = run.settings.model == "line"
        optimum = run.quadratic.optimum
        self.fit_pane.set_b_shares_visible(line)
        self.cost_pane.set_live_label(default_label(run.settings))
        self._slice_b = None
        if hold_view:
            self.draw_curve(run)  # same view, so the marker stays under the mouse
        else:
            self.fit_w_range(run)
        self.loss_pane.set_optimum(optimum[0], run.quadratic.min_cost)
        self.fit_pane.set_optimum(*optimum)
        if self.landscape_pane is not None:
            self.landscape_pane.set_quadratic(run.quadratic if line else None)
            if line and not hold_view:
                self._path_span = None
                self.landscape_pane.fit_view([run.settings.initial_params])
                for path in self._pinned_paths:
                    self._hold_on_landscape(run, path)

    def fit_w_range(self, run: Run) -> None:
        """Fit the w–loss view around w0 and the optimum."""
        w0 = run.settings.w0
        optimum = run.quadratic.optimum[0]
        low, high = min(w0, optimum), max(w0, optimum)
        span = high - low or max(1.0, abs(high))
        self.w_range = (low - 0.25 * span, high + 0.25 * span)
        self.draw_curve(run)

    def draw_curve(self, run: Run, b: float | None = None) -> None:
        """The cost over the w range (at ``b`` for the line; at b0 when None)."""
        low, high = self.w_range
        grid = np.linspace(low, high, CURVE_POINTS)
        if run.settings.model == "line":
            self._slice_b = run.settings.b0 if b is None else b
            cost = run.quadratic.cost_grid(grid, np.full_like(grid, self._slice_b))
        else:
            self._slice_b = None
            cost = run.quadratic.cost_grid(grid)
        self.loss_pane.set_slice(self._slice_b)
        self.loss_pane.set_curve(grid, cost, refit=self._slice_b is None)
        self.loss_pane.set_w_range(low, high)

    # ------------------------------------------------------------ a frame

    def draw(self, run: Run, k: int, computed: int, show_distance: bool) -> None:
        """Draw ``run`` up to epoch ``k`` (``computed`` epochs are known)."""
        history = run.history
        params = history.params
        line = params.shape[1] > 1
        rows = thinned(k + 1)
        cost = history.cost[: k + 1]
        current = params[k]
        current_w, current_cost = float(current[0]), float(cost[k])
        current_b = float(current[1]) if line else 0.0
        grad_w = float(history.grad[k, 0])
        has_next = k < computed
        next_w = float(params[k + 1, 0]) if has_next else None
        next_cost = float(history.cost[k + 1]) if has_next else None

        self._ensure_w_range(run, current_w)
        if line and current_b != self._slice_b and math.isfinite(current_b):
            self.draw_curve(run, current_b)
        self._draw_trail(run, k)
        self.loss_pane.set_current(current_w, current_cost, grad_w, next_w, next_cost)
        if show_distance:
            distance = distances(params[rows], run.quadratic.optimum)
            self.cost_pane.set_costs(rows.astype(np.float64), distance)
            self.cost_pane.set_current(k, float(distance[-1]))
        else:
            self.cost_pane.set_costs(rows.astype(np.float64), cost[rows])
            self.cost_pane.set_current(k, current_cost)
        self.fit_pane.set_line(current_w, current_b)
        first = params[0]
        before = PREDICTION_X * float(first[0]) + (float(first[1]) if line else 0.0)
        self.fit_pane.set_prediction(PREDICTION_X, before, PREDICTION_X * current_w + current_b)
        if line and self.landscape_pane is not None:
            self._draw_landscape(run, k, current_w, current_b)

    def finish_frame(self) -> None:
        """The frame is drawn: the panes settle what waits for all their setters."""
        for pane in (self.loss_pane, self.cost_pane, self.fit_pane, self.landscape_pane):
            if pane is not None and pane.isVisible():
                pane.finish_frame()

    def _draw_trail(self, run: Run, k: int) -> None:
        """The visited (w, cost): per update for a stochastic run, a dot at each epoch."""
        history = run.history
        w, cost = history.params[: k + 1, 0], history.cost[: k + 1]
        dots = thinned(k + 1, MAX_TRAIL_POINTS)
        if run.settings.is_stochastic and len(history.update_params):
            count = update_rows(run, k)
            updates = thinned(count)
            self.loss_pane.set_trail(
                history.update_params[updates, 0], history.update_cost[updates],
                dots=(w[dots], cost[dots]),
            )  # fmt: skip
        else:
            self.loss_pane.set_trail(w[dots], cost[dots])

    def _draw_landscape(self, run: Run, k: int, w: float, b: float) -> None:
        assert self.landscape_pane is not None
        history = run.history
        if run.settings.is_stochastic and len(history.update_params):
            path = history.update_params[thinned(update_rows(run, k))]
        else:
            path = history.params[thinned(k + 1)]
        self.landscape_pane.set_path(path[:, 0], path[:, 1])
        self.landscape_pane.set_current(w, b)

    def _ensure_w_range(self, run: Run, current_w: float) -> None:
        """Keep the w–loss view around w0, the optimum and every w shown (never shrinking)."""
        low, high = self.w_range
        if low <= current_w <= high or not math.isfinite(current_w):
            return
        low, high = min(low, current_w), max(high, current_w)
        span = high - low or max(1.0, abs(high))
        self.w_range = (low - 0.1 * span, high + 0.1 * span)
        self.draw_curve(run, self._slice_b)

    # ------------------------------------------------------------ as epochs arrive

    def keep_in_view(
        self, run: Run, epochs_done: int, y_low: float, y_high: float, hold_view: bool = False
    ) -> None:
        """Let the views hold every epoch computed so far, so that they hold still while
        the epochs are played (a view that changed mid-run would repaint a whole pane).

        The data pane holds the predictions at x = 4 (no further than a few times the
        data's height ``y_low … y_high`` beyond the data); the landscape holds the path
        (no further than a few times the start's distance from the optimum) unless
        ``hold_view`` (the user is dragging on it).
        """
        self._keep_predictions(run, epochs_done, y_low, y_high)
        if run.settings.model == "line" and self.landscape_pane is not None and not hold_view:
            self._keep_path(run, epochs_done)

    def _keep_predictions(self, run: Run, epochs_done: int, y_low: float, y_high: float) -> None:
        if epochs_done < self._span_rows:
            return
        new = predictions(run.history.params[self._span_rows : epochs_done + 1])
        new = new[np.isfinite(new)]
        self._span_rows = epochs_done + 1
        if not new.size:
            return
        low, high = float(new.min()), float(new.max())
        if self._prediction_span is not None:
            low, high = min(low, self._prediction_span[0]), max(high, self._prediction_span[1])
        reach = PREDICTION_SPAN_REACH * max(y_high - y_low, abs(y_high), abs(y_low), 1.0)
        low, high = max(low, y_low - reach), min(high, y_high + reach)
        if (low, high) != self._prediction_span:
            self._prediction_span = (low, high)
            self.fit_pane.set_prediction_span(PREDICTION_X, low, high)

    def _keep_path(self, run: Run, epochs_done: int) -> None:
        if epochs_done < self._path_rows:
            return
        new = run.history.params[self._path_rows : epochs_done + 1]
        self._path_rows = epochs_done + 1
        self._hold_on_landscape(run, new)

    def set_pinned_paths(self, run: Run | None, paths: list[np.ndarray]) -> None:
        """The (w, b) paths of the pinned runs of the line: the landscape keeps them in view
        too (a race is watched there), as far as it keeps the live run's."""
        self._pinned_paths = [path for path in paths if path.ndim == 2 and path.shape[1] == 2]
        if run is not None and run.settings.model == "line" and self.landscape_pane is not None:
            for path in self._pinned_paths:
                self._hold_on_landscape(run, path)

    def _hold_on_landscape(self, run: Run, points: np.ndarray) -> None:
        """Widen the landscape's view (never narrow it) to hold ``points`` ((w, b) rows),
        as far as a few times the start's distance from the optimum."""
        assert self.landscape_pane is not None
        points = points[np.isfinite(points).all(axis=1)]
        if not points.size:
            return
        start = np.asarray(run.settings.initial_params)
        optimum = np.asarray(run.quadratic.optimum)
        reach = PATH_SPAN_REACH * max(float(np.hypot(*(start - optimum))), 1e-9)
        around = np.clip(points, optimum - reach, optimum + reach)
        span = (
            float(around[:, 0].min()), float(around[:, 0].max()),
            float(around[:, 1].min()), float(around[:, 1].max()),
        )  # fmt: skip
        if self._path_span is not None:
            old = self._path_span
            span = (min(span[0], old[0]), max(span[1], old[1]),
                    min(span[2], old[2]), max(span[3], old[3]))  # fmt: skip
        if span != self._path_span:
            self._path_span = span
            self.landscape_pane.fit_view([tuple(start), (span[0], span[2]), (span[1], span[3])])
