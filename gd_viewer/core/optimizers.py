"""Step rules: how parameters move given a gradient.

Each rule updates a short list of Python floats in place. The parameters of
these models number one or two, and plain float arithmetic (the same IEEE
doubles numpy uses) costs far less than numpy calls on arrays of that size.

The update formulas and default hyper-parameters are those the ``torch.optim``
documentation gives (``SGD``, ``Adagrad``, ``RMSprop``, ``Adam``), because the
tutorial belongs to a PyTorch course and its readers meet those next. The
default learning rate is the tutorial's 0.01 for every rule (torch's own
defaults differ: SGD and Adam 1e-3, Adagrad and RMSprop 1e-2).
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Literal


class StepRule(ABC):
    """One update rule with its hyper-parameters and its running state."""

    def __init__(self, lr: float) -> None:
        self.lr = lr
        self.reset()

    def reset(self) -> None:
        """Forget all running state (as a fresh ``torch.optim`` optimizer)."""
        self.steps = 0

    @abstractmethod
    def step(self, params: list[float], grad: list[float]) -> None:
        """Move ``params`` in place, given the gradient ``grad`` there."""


class GradientDescent(StepRule):
    """Plain gradient descent, ``θ ← θ − lr·g`` (torch.optim.SGD, momentum 0).

    The tutorial's update, ``w -= 0.01 * grad_val``, to the bit.
    """

    def step(self, params: list[float], grad: list[float]) -> None:
        lr = self.lr
        for i, g in enumerate(grad):
            params[i] = params[i] - lr * g


class Momentum(StepRule):
    """Heavy-ball momentum as torch.optim.SGD computes it (dampening 0).

    ``b ← μ·b + g`` (``b = g`` on the first step), then ``θ ← θ − lr·b``;
    with ``nesterov=True`` the step is ``θ ← θ − lr·(g + μ·b)``.
    """

    def __init__(self, lr: float, momentum: float = 0.9, nesterov: bool = False) -> None:
        self.momentum = momentum
        self.nesterov = nesterov
        super().__init__(lr)

    def reset(self) -> None:
        super().reset()
        self.buffer: list[float] = []

    def step(self, params: list[float], grad: list[float]) -> None:
        if not self.buffer:
            self.buffer = list(grad)
        else:
            mu = self.momentum
            self.buffer = [mu * b + g for b, g in zip(self.buffer, grad, strict=True)]
        self.steps += 1
        lr, mu = self.lr, self.momentum
        for i, (g, b) in enumerate(zip(grad, self.buffer, strict=True)):
            direction = g + mu * b if self.nesterov else b
            params[i] = params[i] - lr * direction


class AdaGrad(StepRule):
    """torch.optim.Adagrad: ``s ← s + g²``, ``θ ← θ − lr·g / (√s + ε)``.

    Defaults as torch: ``eps = 1e-10``, no learning-rate decay, accumulator from 0.
    """

    def __init__(self, lr: float, eps: float = 1e-10) -> None:
        self.eps = eps
        super().__init__(lr)

    def reset(self) -> None:
        super().reset()
        self.sum_squares: list[float] = []

    def step(self, params: list[float], grad: list[float]) -> None:
        if not self.sum_squares:
            self.sum_squares = [0.0] * len(grad)
        self.steps += 1
        for i, g in enumerate(grad):
            s = self.sum_squares[i] + g * g
            self.sum_squares[i] = s
            params[i] = params[i] - self.lr * g / (math.sqrt(s) + self.eps)


class RMSProp(StepRule):
    """torch.optim.RMSprop: ``v ← α·v + (1 − α)·g²``, ``θ ← θ − lr·g / (√v + ε)``.

    Defaults as torch: ``alpha = 0.99``, ``eps = 1e-8``, no momentum, not centred.
    """

    def __init__(self, lr: float, alpha: float = 0.99, eps: float = 1e-8) -> None:
        self.alpha = alpha
        self.eps = eps
        super().__init__(lr)

    def reset(self) -> None:
        super().reset()
        self.square_avg: list[float] = []

    def step(self, params: list[float], grad: list[float]) -> None:
        if not self.square_avg:
            self.square_avg = [0.0] * len(grad)
        self.steps += 1
        alpha = self.alpha
        for i, g in enumerate(grad):
            v = alpha * self.square_avg[i] + (1.0 - alpha) * g * g
            self.square_avg[i] = v
            params[i] = params[i] - self.lr * g / (math.sqrt(v) + self.eps)


class Adam(StepRule):
    """torch.optim.Adam as documented, with bias correction.

    ``m ← β1·m + (1 − β1)·g``, ``v ← β2·v + (1 − β2)·g²``,
    ``m̂ = m / (1 − β1ᵗ)``, ``v̂ = v / (1 − β2ᵗ)``, ``θ ← θ − lr·m̂ / (√v̂ + ε)``.
    Defaults as torch: ``betas = (0.9, 0.999)``, ``eps = 1e-8``.
    """

    def __init__(
        self, lr: float, beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8
    ) -> None:
        self.beta1 = beta1
        self.beta2 = beta2
        self.eps = eps
        super().__init__(lr)

    def reset(self) -> None:
        super().reset()
        self.first: list[float] = []
        self.second: list[float] = []

    def step(self, params: list[float], grad: list[float]) -> None:
        if not self.first:
            self.first = [0.0] * len(grad)
            self.second = [0.0] * len(grad)
        self.steps += 1
        b1, b2 = self.beta1, self.beta2
        correction1 = 1.0 - b1**self.steps
        correction2 = 1.0 - b2**self.steps
        for i, g in enumerate(grad):
            m = b1 * self.first[i] + (1.0 - b1) * g
            v = b2 * self.second[i] + (1.0 - b2) * g * g
            self.first[i], self.second[i] = m, v
            m_hat = m / correction1
            v_hat = v / correction2
            params[i] = params[i] - self.lr * m_hat / (math.sqrt(v_hat) + self.eps)


Batching = Literal["full", "one", "mini", "any"]


@dataclass(frozen=True)
class OptimizerInfo:
    """What the user picks by name: a step rule and how many points feed each update.

    ``batching``: ``full`` every point (one update per epoch); ``one`` a single
    point per update; ``mini`` a batch of ``batch_size`` points; ``any`` full
    batch unless a batch size is given.
    """

    name: str
    label: str
    batching: Batching
    update_rule: str
    hyperparameters: tuple[str, ...] = field(default=())
    default_eps: float = 1e-8


OPTIMIZERS: dict[str, OptimizerInfo] = {
    info.name: info
    for info in (
        OptimizerInfo("gd", "Gradient descent (full batch)", "full", "w ← w − lr·grad"),
        OptimizerInfo(
            "sgd",
            "Stochastic gradient descent (one point per update)",
            "one",
            "w ← w − lr·grad of one point",
        ),
        OptimizerInfo(
            "minibatch",
            "Mini-batch gradient descent",
            "mini",
            "w ← w − lr·grad of a batch",
            ("batch_size",),
        ),
        OptimizerInfo(
            "momentum", "Momentum", "any", "b ← μ·b + grad;  w ← w − lr·b", ("momentum",)
        ),
        OptimizerInfo(
            "nesterov",
            "Nesterov momentum",
            "any",
            "b ← μ·b + grad;  w ← w − lr·(grad + μ·b)",
            ("momentum",),
        ),
        OptimizerInfo(
            "adagrad",
            "AdaGrad",
            "any",
            "s ← s + grad²;  w ← w − lr·grad / (√s + ε)",
            ("eps",),
            default_eps=1e-10,
        ),
        OptimizerInfo(
            "rmsprop",
            "RMSProp",
            "any",
            "v ← α·v + (1 − α)·grad²;  w ← w − lr·grad / (√v + ε)",
            ("alpha", "eps"),
        ),
        OptimizerInfo(
            "adam",
            "Adam",
            "any",
            "m ← β1·m + (1 − β1)·grad;  v ← β2·v + (1 − β2)·grad²;  w ← w − lr·m̂ / (√v̂ + ε)",
            ("beta1", "beta2", "eps"),
        ),
    )
}


def make_step_rule(
    name: str,
    lr: float,
    *,
    momentum: float = 0.9,
    alpha: float = 0.99,
    beta1: float = 0.9,
    beta2: float = 0.999,
    eps: float | None = None,
) -> StepRule:
    """The step rule of optimizer ``name`` with the given hyper-parameters."""
    if name not in OPTIMIZERS:
        raise ValueError(f"unknown optimizer {name!r}: choose one of {', '.join(OPTIMIZERS)}")
    epsilon = OPTIMIZERS[name].default_eps if eps is None else eps
    if name in ("gd", "sgd", "minibatch"):
        return GradientDescent(lr)
    if name in ("momentum", "nesterov"):
        return Momentum(lr, momentum, nesterov=name == "nesterov")
    if name == "adagrad":
        return AdaGrad(lr, epsilon)
    if name == "rmsprop":
        return RMSProp(lr, alpha, epsilon)
    return Adam(lr, beta1, beta2, epsilon)
