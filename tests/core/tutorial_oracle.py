"""Independent oracles: the tutorial's program transcribed as plain Python float loops.

Nothing here imports gd_viewer. The functions follow the tutorial's code line by line
(``loss_sum = 0``, ``loss_sum += (y_pred - y) ** 2``, ``grad += 2 * x * (x * w - y)``,
``w -= lr * grad_val``), so the numbers they produce are the tutorial's own, bit for bit,
on whatever machine runs the tests.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

# --------------------------------------------------------------- y = w·x (the tutorial)


def cost_origin(xs: Sequence[float], ys: Sequence[float], w: float) -> float:
    """The tutorial's ``cost(xs, ys)``."""
    loss_sum = 0
    for x, y in zip(xs, ys, strict=True):
        y_pred = x * w
        loss_sum += (y_pred - y) ** 2
    return loss_sum / len(xs)


def gradient_origin(xs: Sequence[float], ys: Sequence[float], w: float) -> float:
    """The tutorial's ``gradient(xs, ys)``."""
    grad = 0
    for x, y in zip(xs, ys, strict=True):
        grad += 2 * x * (x * w - y)
    return grad / len(xs)


# --------------------------------------------------------------- y = w·x + b


def cost_line(xs: Sequence[float], ys: Sequence[float], w: float, b: float) -> float:
    loss_sum = 0
    for x, y in zip(xs, ys, strict=True):
        y_pred = x * w + b
        loss_sum += (y_pred - y) ** 2
    return loss_sum / len(xs)


def gradient_line(
    xs: Sequence[float], ys: Sequence[float], w: float, b: float
) -> tuple[float, float]:
    grad_w = 0
    grad_b = 0
    for x, y in zip(xs, ys, strict=True):
        grad_w += 2 * x * (x * w + b - y)
        grad_b += 2 * (x * w + b - y)
    return grad_w / len(xs), grad_b / len(xs)


def cost(xs: Sequence[float], ys: Sequence[float], params: Sequence[float]) -> float:
    """Either model's cost, chosen by the number of parameters."""
    if len(params) == 1:
        return cost_origin(xs, ys, params[0])
    return cost_line(xs, ys, params[0], params[1])


def gradient(xs: Sequence[float], ys: Sequence[float], params: Sequence[float]) -> list[float]:
    if len(params) == 1:
        return [gradient_origin(xs, ys, params[0])]
    return list(gradient_line(xs, ys, params[0], params[1]))


# --------------------------------------------------------------- training loops


@dataclass
class Rows:
    """What a run records: parameters at the start of each epoch, cost and gradient there."""

    params: list[list[float]]
    cost: list[float]
    grad: list[list[float]]


def full_batch_rows(
    xs: Sequence[float], ys: Sequence[float], params: Sequence[float], lr: float, epochs: int
) -> Rows:
    """The tutorial's training loop, for either model, plus the state after the last epoch.

    ``for epoch in range(epochs): cost_val = cost(); grad_val = gradient(); w -= lr * grad_val``
    """
    p = list(params)
    rows = Rows([], [], [])
    for _epoch in range(epochs + 1):
        cost_val = cost(xs, ys, p)
        grad_val = gradient(xs, ys, p)
        rows.params.append(list(p))
        rows.cost.append(cost_val)
        rows.grad.append(grad_val)
        if _epoch == epochs:
            break
        for i, g in enumerate(grad_val):
            p[i] -= lr * g
    return rows


def tutorial_printout(
    w: float = 1.0, lr: float = 0.01, epochs: int = 100
) -> list[tuple[int, float, float]]:
    """The tutorial's program verbatim: the (epoch, w, loss) of each printed line."""
    x_data = [1.0, 2.0, 3.0]
    y_data = [2.0, 4.0, 6.0]
    printed = []
    for epoch in range(epochs):
        cost_val = cost_origin(x_data, y_data, w)
        grad_val = gradient_origin(x_data, y_data, w)
        w -= lr * grad_val
        printed.append((epoch, w, cost_val))
    return printed


def sgd_lesson(
    xs: Sequence[float], ys: Sequence[float], w: float, lr: float, epochs: int
) -> list[list[float]]:
    """The next lesson's stochastic gradient descent, y = w·x, one point per update.

    Returns the w after every update, epoch by epoch.
    """
    path = []
    for _epoch in range(epochs):
        after = []
        for x, y in zip(xs, ys, strict=True):
            grad = 2 * x * (x * w - y)
            w = w - lr * grad
            after.append(w)
        path.append(after)
    return path


def minibatch_lesson(
    xs: Sequence[float],
    ys: Sequence[float],
    params: Sequence[float],
    lr: float,
    epochs: int,
    batch_size: int,
) -> list[list[list[float]]]:
    """Mini-batches in data order (the last may be smaller), each the tutorial's gradient.

    Returns the parameters after every update, epoch by epoch.
    """
    p = list(params)
    path = []
    for _epoch in range(epochs):
        after = []
        for start in range(0, len(xs), batch_size):
            grad_val = gradient(xs[start : start + batch_size], ys[start : start + batch_size], p)
            for i, g in enumerate(grad_val):
                p[i] -= lr * g
            after.append(list(p))
        path.append(after)
    return path


def momentum_full_batch(
    xs: Sequence[float],
    ys: Sequence[float],
    w: float,
    lr: float,
    mu: float,
    epochs: int,
    nesterov: bool = False,
) -> list[float]:
    """torch.optim.SGD with momentum (dampening 0) as its documentation writes it, y = w·x.

    ``b = g`` on the first step, then ``b = mu*b + g``; step ``b`` (or ``g + mu*b``).
    Returns w at the start of every epoch and after the last.
    """
    path = [w]
    b = None
    for _epoch in range(epochs):
        g = gradient_origin(xs, ys, w)
        b = g if b is None else mu * b + g
        direction = g + mu * b if nesterov else b
        w = w - lr * direction
        path.append(w)
    return path


def adam_full_batch(
    xs: Sequence[float],
    ys: Sequence[float],
    w: float,
    lr: float,
    epochs: int,
    beta1: float = 0.9,
    beta2: float = 0.999,
    eps: float = 1e-8,
) -> list[float]:
    """torch.optim.Adam's documented algorithm (bias-corrected), y = w·x."""
    path = [w]
    m = 0.0
    v = 0.0
    for t in range(1, epochs + 1):
        g = gradient_origin(xs, ys, w)
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g * g
        m_hat = m / (1 - beta1**t)
        v_hat = v / (1 - beta2**t)
        w = w - lr * m_hat / (math.sqrt(v_hat) + eps)
        path.append(w)
    return path
