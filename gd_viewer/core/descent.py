"""A run of gradient descent: advance epoch by epoch and record everything.

Row ``k`` of a :class:`History` holds the parameters at the *start* of epoch
``k`` and the full-batch cost and gradient there. So, as in the tutorial, the
cost recorded for epoch ``k`` is computed before that epoch's update, and after
``E`` epochs rows ``0 … E`` exist, the last one holding the final parameters.

A run ends after ``settings.epochs`` epochs, or earlier when its stopping rule
(``settings.stop``) holds at a row: the full-batch gradient is small enough
(``gradient``) or the cost barely changed since the row before (``cost_change``).
Stopping at epoch ``k`` keeps rows ``0 … k`` and takes no further update.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from gd_viewer.core.batches import BatchGradients
from gd_viewer.core.data import Dataset
from gd_viewer.core.models import Model, get_model
from gd_viewer.core.optimizers import StepRule, make_step_rule
from gd_viewer.core.quadratic import QuadraticCost
from gd_viewer.core.settings import RunSettings

FloatArray = NDArray[np.float64]
Evaluate = Callable[[Sequence[float]], tuple[float, list[float]]]

#: Up to this many points every evaluation is done per point, in the tutorial's
#: loop order (its printout to the bit); beyond, by the O(1) quadratic form.
EXACT_MAX_POINTS = 1024
#: A cost above this (or a non-finite value) means the run diverged: one more
#: step would overflow float64, and no plot could show it.
COST_LIMIT = 1e300
#: At most this many per-update rows are kept for stochastic runs; longer runs
#: keep every s-th update (the path's shape survives, memory stays bounded).
MAX_UPDATE_ROWS = 1_000_000


class Status(enum.Enum):
    """Where a run stands."""

    RUNNING = "running"
    FINISHED = "finished"
    DIVERGED = "diverged"


@dataclass(frozen=True)
class EpochRecord:
    """One row of a History: the state at the start of ``epoch``."""

    epoch: int
    params: tuple[float, ...]
    cost: float
    grad: tuple[float, ...]


def distances(params: FloatArray, point: Sequence[float]) -> FloatArray:
    """Euclidean distance of each row of ``params`` to ``point`` (a new array).

    For one parameter exactly ``|w − point[0]|`` (no squaring, so tiny and huge
    distances stay exact); for more, ``hypot`` of the differences.
    """
    if len(point) != params.shape[1]:
        raise ValueError(
            f"the point has {len(point)} coordinates, the parameters {params.shape[1]}"
        )
    error = params - np.asarray(point, dtype=np.float64)
    distance: FloatArray = np.abs(error[:, 0])
    for column in error[:, 1:].T:
        distance = np.hypot(distance, column)
    return distance


class History:
    """Per-epoch (and, for stochastic runs, per-update) values in preallocated arrays.

    The public arrays are read-only views of the rows recorded so far; they stay
    valid while the run advances (a later view may be longer).
    """

    def __init__(self, n_params: int, epochs: int, update_rows: int = 0) -> None:
        self._params = np.zeros((epochs + 1, n_params))
        self._cost = np.zeros(epochs + 1)
        self._grad = np.zeros((epochs + 1, n_params))
        self._length = 0
        self._update_position = np.zeros(update_rows)
        self._update_params = np.zeros((update_rows, n_params))
        self._update_cost = np.zeros(update_rows)
        self._update_length = 0

    def clear(self) -> None:
        self._length = 0
        self._update_length = 0

    def append(self, params: Sequence[float], cost: float, grad: Sequence[float]) -> None:
        k = self._length
        self._params[k] = params
        self._cost[k] = cost
        self._grad[k] = grad
        self._length = k + 1

    def extend_updates(
        self,
        positions: Sequence[float] | FloatArray,
        params: Sequence[Sequence[float]] | FloatArray,
        costs: Sequence[float] | FloatArray,
    ) -> None:
        """Record several updates at once (one numpy assignment per column)."""
        start = self._update_length
        stop = start + len(positions)
        if stop == start:
            return
        self._update_position[start:stop] = positions
        self._update_params[start:stop] = params
        self._update_cost[start:stop] = costs
        self._update_length = stop

    @staticmethod
    def _view(array: FloatArray, length: int) -> FloatArray:
        view = array[:length]
        view.flags.writeable = False
        return view

    def __len__(self) -> int:
        """Rows recorded: epochs done + 1 (0 before the first evaluation)."""
        return self._length

    @property
    def epochs(self) -> int:
        """Epochs completed."""
        return max(self._length - 1, 0)

    @property
    def params(self) -> FloatArray:
        """``(rows, n_params)``: parameters at the start of each epoch."""
        return self._view(self._params, self._length)

    @property
    def cost(self) -> FloatArray:
        """Full-batch cost at those parameters."""
        return self._view(self._cost, self._length)

    @property
    def grad(self) -> FloatArray:
        """Full-batch gradient at those parameters."""
        return self._view(self._grad, self._length)

    @property
    def update_position(self) -> FloatArray:
        """Stochastic runs: the epoch position of each recorded update (k + j/batches)."""
        return self._view(self._update_position, self._update_length)

    @property
    def update_params(self) -> FloatArray:
        """Stochastic runs: parameters after each recorded update (row 0: the start)."""
        return self._view(self._update_params, self._update_length)

    @property
    def update_cost(self) -> FloatArray:
        """Stochastic runs: full-batch cost at those parameters."""
        return self._view(self._update_cost, self._update_length)

    def distance_to(self, point: Sequence[float]) -> FloatArray:
        """Euclidean distance of each row's parameters to ``point``, one per row.

        A new float64 array of ``len(self)`` values; for one parameter exactly
        ``|w − point[0]|`` (no squaring, so tiny and huge distances stay exact).
        """
        return distances(self.params, point)

    def __getitem__(self, epoch: int) -> EpochRecord:
        """The row of ``epoch`` (negative counts from the end), for rewinding."""
        if epoch < 0:
            epoch += self._length
        if not 0 <= epoch < self._length:
            raise IndexError(f"epoch {epoch} has not been computed (0 … {self._length - 1})")
        return EpochRecord(
            epoch,
            tuple(self._params[epoch].tolist()),
            float(self._cost[epoch]),
            tuple(self._grad[epoch].tolist()),
        )


class Run:
    """Gradient descent on ``data`` with ``settings``, advanced on demand.

    Parameters
    ----------
    data
        The points.
    settings
        Model, optimizer, learning rate, epochs, initial parameters; the
        tutorial's when omitted.

    Notes
    -----
    A run never raises for divergence and never records NaN: when a cost,
    gradient or parameter stops being finite (or the cost passes
    ``COST_LIMIT``), it stops with ``status`` DIVERGED and a ``reason``; the
    History keeps every finite row before that.

    A stopping rule other than ``epochs`` ends the run early with ``status``
    FINISHED and a ``reason`` saying which value met the tolerance at which
    epoch; ``reason`` stays empty when the run simply did all its epochs.
    """

    def __init__(self, data: Dataset, settings: RunSettings | None = None) -> None:
        self.data = data
        self.settings = settings or RunSettings()
        self.model: Model = get_model(self.settings.model)
        self.quadratic: QuadraticCost = self.model.quadratic(data)
        self.exact = data.size <= EXACT_MAX_POINTS
        self._evaluate: Evaluate = self._pointwise if self.exact else self.quadratic.evaluate
        s = self.settings
        self.rule: StepRule = make_step_rule(
            s.optimizer, s.lr, momentum=s.momentum, alpha=s.alpha,
            beta1=s.beta1, beta2=s.beta2, eps=s.eps,
        )  # fmt: skip
        self.batches: BatchGradients | None = None
        update_rows = 0
        if s.is_stochastic:
            self.batches = BatchGradients(
                self.model, data, self.quadratic, s.batch_size_for(data.size),
                shuffle=s.shuffle, seed=s.seed, per_point=self.exact,
            )  # fmt: skip
            total_updates = self.batches.count * s.epochs
            self.update_stride = max(1, math.ceil(total_updates / MAX_UPDATE_ROWS))
            update_rows = total_updates // self.update_stride + 2
        self.history = History(self.model.n_params, s.epochs, update_rows)
        # None for the tutorial's rule, so its loop pays nothing per epoch.
        self._stop_check: Callable[[], bool] | None = {
            "epochs": None,
            "gradient": self._gradient_small,
            "cost_change": self._cost_settled,
        }[s.stop]
        self.reset()

    # ------------------------------------------------------------ state

    def reset(self) -> None:
        """Back to epoch 0 with the initial parameters (same shuffles again)."""
        self.rule.reset()
        if self.batches is not None:
            self.batches.reset()
        self.history.clear()
        self._params = list(self.settings.initial_params)
        self._updates = 0
        self._previous_cost: float | None = None
        self.status = Status.RUNNING
        self.reason = ""
        cost, grad = self._evaluate(self._params)
        if not self._is_sane(cost, grad):
            self._diverge(0, "the initial parameters already give a cost too large to compute")
            return
        self._cost, self._grad = cost, grad
        self.history.append(self._params, cost, grad)
        if self.batches is not None:
            self.history.extend_updates([0.0], [self._params], [cost])
        if self._stop_check is not None:
            self._stop_check()
        if self.settings.epochs == 0:
            self.status = Status.FINISHED

    @property
    def epochs_done(self) -> int:
        return self.history.epochs

    @property
    def finished(self) -> bool:
        """True once the run cannot advance (all epochs done, stopped by its rule, or diverged)."""
        return self.status is not Status.RUNNING

    @property
    def stopped_early(self) -> bool:
        """True when the stopping rule ended the run before ``settings.epochs``."""
        return (
            self.status is Status.FINISHED
            and bool(self.reason)
            and self.epochs_done < self.settings.epochs
        )

    @property
    def params(self) -> tuple[float, ...]:
        """The current parameters (those of the last recorded row)."""
        return tuple(self._params)

    # ------------------------------------------------------------ stepping

    def advance(self, epochs: int = 1) -> int:
        """Compute up to ``epochs`` more epochs; returns how many were done."""
        done = 0
        target = min(epochs, self.settings.epochs - self.epochs_done)
        step = self._stochastic_epoch if self.batches is not None else self._full_batch_epoch
        check = self._stop_check
        while done < target and self.status is Status.RUNNING:
            if not step():
                break
            done += 1
            if check is not None and check():
                break
        if self.status is Status.RUNNING and self.epochs_done >= self.settings.epochs:
            self.status = Status.FINISHED
        return done

    def run_to_end(self) -> None:
        """Advance until finished or diverged."""
        self.advance(self.settings.epochs)

    def _full_batch_epoch(self) -> bool:
        params = self._params
        self.rule.step(params, self._grad)
        cost, grad = self._evaluate(params)
        if not self._is_sane(cost, grad):
            self._diverge(self.epochs_done, self._divergence_detail(cost))
            return False
        self._cost, self._grad = cost, grad
        self.history.append(params, cost, grad)
        return True

    def _stochastic_epoch(self) -> bool:
        assert self.batches is not None
        params, step = self._params, self.rule.step
        epoch, count, stride = self.epochs_done, self.batches.count, self.update_stride
        # Updates are cheap scalar work; record the path in lists and do the
        # per-update costs and the finiteness check once, vectorised, per epoch.
        offset = self._updates % stride
        numbers: list[int] = []
        path: list[tuple[float, ...]] = []
        for j, grad in enumerate(self.batches.epoch(params)):
            step(params, grad)
            if stride == 1 or (offset + j + 1) % stride == 0:
                numbers.append(j + 1)
                path.append(tuple(params))
        self._updates += count
        if path:
            rows = np.array(path)
            with np.errstate(over="ignore", invalid="ignore"):
                costs = self.quadratic.cost_grid(*rows.T)
            sane = (costs <= COST_LIMIT) & np.isfinite(rows).all(axis=1)
            keep = len(sane) if sane.all() else int(np.argmin(sane))
            positions = epoch + np.asarray(numbers[:keep], dtype=np.float64) / count
            self.history.extend_updates(positions, rows[:keep], costs[:keep])
            if keep < len(sane):
                update = numbers[keep]
                self._diverge(epoch, f"the cost overflowed at update {update} of {count}")
                return False
        cost, grad = self._evaluate(params)
        if not (self._is_sane(cost, grad) and all(map(math.isfinite, params))):
            self._diverge(epoch, self._divergence_detail(cost))
            return False
        self._cost, self._grad = cost, grad
        self.history.append(params, cost, grad)
        return True

    def distance_to_optimum(self) -> FloatArray:
        """``‖θ_k − θ*‖`` for every recorded epoch k (length ``epochs_done + 1``).

        θ* is the closed-form optimum (``quadratic.optimum``); for ``y = w·x``
        the values are ``|w_k − w*|``, for the line the Euclidean distance of
        ``(w_k, b_k)`` to ``(w*, b*)``. A new float64 array.
        """
        return self.history.distance_to(self.quadratic.optimum)

    # ------------------------------------------------------------ stopping

    def _gradient_small(self) -> bool:
        """The ``gradient`` rule on the last row; stops the run when it holds."""
        norm = math.hypot(*self._grad)
        if norm > self.settings.tolerance:
            return False
        self._stop(f"|gradient| = {norm:.3g}")
        return True

    def _cost_settled(self) -> bool:
        """The ``cost_change`` rule on the last row (from row 1); stops the run when it holds."""
        # Called once per recorded row (reset, then each epoch): remember the cost.
        previous, self._previous_cost = self._previous_cost, self._cost
        if previous is None:
            return False
        change = abs(self._cost - previous)
        if change > self.settings.tolerance:
            return False
        self._stop(f"|cost change| = {change:.3g}")
        return True

    def _stop(self, what: str) -> None:
        self.status = Status.FINISHED
        self.reason = f"{what} ≤ tolerance {self.settings.tolerance:g} at epoch {self.epochs_done}"

    # ------------------------------------------------------------ helpers

    def _pointwise(self, params: Sequence[float]) -> tuple[float, list[float]]:
        return self.model.cost_and_gradient(params, self.data.x, self.data.y)

    @staticmethod
    def _is_sane(cost: float, grad: Sequence[float]) -> bool:
        # Written so that NaN fails every comparison.
        return cost <= COST_LIMIT and all(abs(g) < math.inf for g in grad)

    def _divergence_detail(self, cost: float) -> str:
        if math.isnan(cost):
            what = "the cost is no longer a number"
        elif cost > COST_LIMIT:
            what = f"the cost passed {COST_LIMIT:g} (float64 would overflow next)"
        else:
            what = "the gradient overflowed"
        return what

    def _diverge(self, epoch: int, detail: str) -> None:
        from gd_viewer.core.analysis import explain_divergence

        self.status = Status.DIVERGED
        self.reason = f"diverged at epoch {epoch}: {detail}"
        hint = explain_divergence(self)
        if hint:
            self.reason += f"; {hint}"
        self._params = list(self.history.params[-1]) if len(self.history) else self._params
