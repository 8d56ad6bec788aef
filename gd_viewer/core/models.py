"""The two models of the course: the tutorial's ``y = w·x`` and the line ``y = w·x + b``.

Each model offers two ways to evaluate the mean squared error and its gradient:

* **per point** (:meth:`Model.cost`, :meth:`Model.gradient`): the tutorial's own
  arithmetic, term by term, summed in the tutorial's loop order, so that on the
  tutorial's data the results equal its printout to the last bit;
* **by moments** (:meth:`Model.quadratic`, see :mod:`gd_viewer.core.quadratic`):
  the cost is a quadratic in the parameters, fixed by a few sums over the data.
  After one pass over the points every evaluation costs O(1), at any size.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from gd_viewer.core.data import Dataset
from gd_viewer.core.quadratic import LineQuadratic, OriginQuadratic, QuadraticCost

FloatArray = NDArray[np.float64]


def loop_sum(terms: FloatArray) -> float:
    """Sum in index order, as ``total = 0; for t in terms: total += t`` does.

    numpy's ``sum`` adds pairwise (in another order, so other last bits); the last
    element of a cumulative sum is the plain loop's result. Adding ``0.0`` turns
    ``-0.0`` into ``0.0`` as the loop's integer start does.
    """
    if terms.size == 0:
        return 0.0
    return float(np.cumsum(terms)[-1]) + 0.0


class Model(ABC):
    """A model family: its parameters, prediction, cost and gradient."""

    #: Short name used on the command line and in settings files.
    name: str
    #: The parameter names, in the order every parameter vector uses.
    parameter_names: tuple[str, ...]
    #: The formula, for messages and plot titles.
    formula: str

    @property
    def n_params(self) -> int:
        return len(self.parameter_names)

    @abstractmethod
    def predict(self, params: Sequence[float], x: FloatArray | float) -> FloatArray | float:
        """The model's prediction at ``x`` (the tutorial's ``forward``)."""

    def residuals(self, params: Sequence[float], x: FloatArray, y: FloatArray) -> FloatArray:
        """``prediction − y`` per point, the tutorial's ``y_pred - y``."""
        with np.errstate(over="ignore", invalid="ignore"):
            return np.asarray(self.predict(params, x)) - y

    def cost(self, params: Sequence[float], x: FloatArray, y: FloatArray) -> float:
        """Mean squared error, per point and in loop order (the tutorial's ``cost``)."""
        r = self.residuals(params, x, y)
        with np.errstate(over="ignore", invalid="ignore"):
            # The tutorial squares with ``** 2``, i.e. the C library's pow(), which
            # differs from r·r in the last bit for about one value in 1,500. numpy
            # calls pow() too when the exponent is a real array (a scalar 2 takes
            # the r·r shortcut).
            squares = np.power(r, np.full(r.shape, 2.0))
            return loop_sum(squares) / r.size

    @abstractmethod
    def gradient(self, params: Sequence[float], x: FloatArray, y: FloatArray) -> list[float]:
        """Analytic gradient of :meth:`cost`, per point and in loop order."""

    def cost_and_gradient(
        self, params: Sequence[float], x: FloatArray, y: FloatArray
    ) -> tuple[float, list[float]]:
        """Both at once (what one epoch of the tutorial computes)."""
        return self.cost(params, x, y), self.gradient(params, x, y)

    @abstractmethod
    def quadratic(self, data: Dataset) -> QuadraticCost:
        """The cost as a quadratic in the parameters, from one pass over ``data``."""

    def hessian(self, data: Dataset) -> FloatArray:
        """Second derivatives of the cost (constant: the cost is quadratic)."""
        return self.quadratic(data).hessian

    def optimum(self, data: Dataset) -> tuple[float, ...]:
        """Closed-form least-squares parameters (minimum norm when not unique)."""
        return self.quadratic(data).optimum

    def cost_grid(self, data: Dataset, *grids: FloatArray) -> FloatArray:
        """The cost over whole arrays of parameter values at once (broadcast)."""
        return self.quadratic(data).cost_grid(*grids)

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class OriginModel(Model):
    """``y = w·x``: the tutorial's model, a line through the origin."""

    name = "origin"
    parameter_names = ("w",)
    formula = "y = w·x"

    def predict(self, params: Sequence[float], x: FloatArray | float) -> FloatArray | float:
        (w,) = params
        with np.errstate(over="ignore", invalid="ignore"):
            return x * w

    def gradient(self, params: Sequence[float], x: FloatArray, y: FloatArray) -> list[float]:
        r = self.residuals(params, x, y)
        with np.errstate(over="ignore", invalid="ignore"):
            # The tutorial's term, 2 * x * (x * w - y), evaluated left to right.
            return [loop_sum(2.0 * x * r) / r.size]

    def quadratic(self, data: Dataset) -> QuadraticCost:
        return OriginQuadratic.from_data(data.xy)


class LineModel(Model):
    """``y = w·x + b``: a line with an intercept."""

    name = "line"
    parameter_names = ("w", "b")
    formula = "y = w·x + b"

    def predict(self, params: Sequence[float], x: FloatArray | float) -> FloatArray | float:
        w, b = params
        with np.errstate(over="ignore", invalid="ignore"):
            return x * w + b

    def gradient(self, params: Sequence[float], x: FloatArray, y: FloatArray) -> list[float]:
        r = self.residuals(params, x, y)
        with np.errstate(over="ignore", invalid="ignore"):
            return [loop_sum(2.0 * x * r) / r.size, loop_sum(2.0 * r) / r.size]

    def quadratic(self, data: Dataset) -> QuadraticCost:
        return LineQuadratic.from_data(data.xy)


MODELS: dict[str, Model] = {model.name: model for model in (OriginModel(), LineModel())}


def get_model(name: str) -> Model:
    """The model called ``name`` (``origin`` or ``line``)."""
    try:
        return MODELS[name]
    except KeyError:
        choices = ", ".join(MODELS)
        raise ValueError(f"unknown model {name!r}: choose one of {choices}") from None
