"""What the curvature says about full-batch gradient descent on the data.

The cost is quadratic with Hessian ``H``, so a step of plain gradient descent
maps the error ``θ − θ*`` to ``(I − lr·H)(θ − θ*)``. Along each eigenvector of
``H`` (eigenvalue λ) the error is multiplied by ``1 − lr·λ`` every epoch: the
descent converges for ``0 < lr < 2/λmax``, without oscillating while
``lr ≤ 1/λmax``, and on the tutorial's one-parameter model ``lr = 1/λ`` lands
on the optimum in one step. On the tutorial's data ``λ = 2·mean(x²) = 28/3``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from gd_viewer.core.quadratic import QuadraticCost

if TYPE_CHECKING:
    from gd_viewer.core.descent import Run


@dataclass(frozen=True)
class Analysis:
    """Learning-rate limits of full-batch gradient descent for one model on one data set."""

    #: Eigenvalues of the Hessian, ascending.
    eigenvalues: tuple[float, ...]
    optimum: tuple[float, ...]
    min_cost: float

    @classmethod
    def of(cls, quadratic: QuadraticCost) -> Analysis:
        eigenvalues = np.linalg.eigvalsh(quadratic.hessian)
        return cls(
            tuple(float(max(v, 0.0)) for v in eigenvalues), quadratic.optimum, quadratic.min_cost
        )

    @property
    def curvature(self) -> float:
        """The largest eigenvalue λmax (for ``y = w·x`` the second derivative, 2·mean(x²))."""
        return self.eigenvalues[-1]

    @property
    def stable_limit(self) -> float:
        """``2/λmax``: gradient descent converges for learning rates below it."""
        return 2.0 / self.curvature if self.curvature > 0 else math.inf

    @property
    def one_step_rate(self) -> float:
        """``1/λmax``: the rate that reaches the optimum in one step (along λmax)."""
        return 1.0 / self.curvature if self.curvature > 0 else math.inf

    @property
    def best_constant_rate(self) -> float:
        """``2/(λmin + λmax)``: the rate with the smallest contraction (equals 1/λ for one λ)."""
        total = self.eigenvalues[0] + self.eigenvalues[-1]
        return 2.0 / total if total > 0 else math.inf

    def contraction(self, lr: float) -> float:
        """``max |1 − lr·λ|``: the factor by which the error shrinks (< 1) or grows per epoch."""
        return max(abs(1.0 - lr * v) for v in self.eigenvalues)

    def converges(self, lr: float) -> bool:
        """True when gradient descent with ``lr`` converges from any start."""
        return 0.0 < lr < self.stable_limit

    def oscillates(self, lr: float) -> bool:
        """True when the error changes sign each epoch along λmax (``lr > 1/λmax``)."""
        return lr * self.curvature > 1.0

    def epochs_to_tolerance(self, lr: float, start: Sequence[float], tolerance: float) -> float:
        """Epochs until ``‖θ − θ*‖ ≤ tolerance``, from ``start`` (``inf`` if never).

        Exact for one parameter; for two, the bound ``c^k·‖θ0 − θ*‖`` with the
        contraction ``c`` (the error matrix is symmetric, so its norm is ``c``).
        """
        distance = math.dist(start, self.optimum)
        if distance <= tolerance:
            return 0
        c = self.contraction(lr)
        if c == 0.0:
            return 1
        if c >= 1.0:
            return math.inf
        return math.ceil(math.log(tolerance / distance) / math.log(c))


def explain_divergence(run: Run) -> str:
    """A learning-rate explanation of a diverged full-batch run, or ``""``."""
    if run.settings.is_stochastic or run.settings.optimizer != "gd":
        return ""
    analysis = Analysis.of(run.quadratic)
    lr = run.settings.lr
    if analysis.converges(lr):
        return ""
    return (
        f"lr = {lr:g} is at or above the stable limit 2/curvature = {analysis.stable_limit:.4g} "
        "for these points, so each step overshoots the minimum by more than it gains"
    )
