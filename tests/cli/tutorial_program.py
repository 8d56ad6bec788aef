"""The tutorial's own program (the seed text, minus matplotlib), as an oracle.

``program()`` returns its source with the constants the tutorial hard-codes
made substitutable; run with a plain Python interpreter it prints exactly what
the tutorial prints. ``LINE_PROGRAM`` is the same program for ``y = w·x + b``,
written the way the tutorial would write it.
"""

from __future__ import annotations

import contextlib
import io

TUTORIAL = """\
x_data = {x_data!r}
y_data = {y_data!r}
w = {w0!r}
def forward(x):
    return x * w
def cost(xs, ys):
    loss_sum = 0
    for x, y in zip(xs, ys):
        y_pred = forward(x)
        loss_sum += (y_pred - y) ** 2
    return loss_sum / len(xs)
def gradient(xs, ys):
    grad = 0
    for x, y in zip(xs, ys):
        grad += 2 * x * (x * w - y)
    return grad / len(xs)
epoch_list = []
cost_list = []
print('Predict (before training)', 4, forward(4))
for epoch in range({epochs!r}):
    cost_val = cost(x_data, y_data)
    grad_val = gradient(x_data, y_data)
    w -= {lr!r} * grad_val
    print(' Epoch:', epoch, ' w=', w, ' loss=', cost_val)
    epoch_list.append(epoch)
    cost_list.append(cost_val)
print('Predict (after training)', 4, forward(4))
"""

LINE_PROGRAM = """\
x_data = {x_data!r}
y_data = {y_data!r}
w = {w0!r}
b = {b0!r}
def forward(x):
    return x * w + b
def cost(xs, ys):
    loss_sum = 0
    for x, y in zip(xs, ys):
        loss_sum += (forward(x) - y) ** 2
    return loss_sum / len(xs)
def gradient(xs, ys):
    grad_w = 0
    grad_b = 0
    for x, y in zip(xs, ys):
        grad_w += 2 * x * (x * w + b - y)
        grad_b += 2 * (x * w + b - y)
    return grad_w / len(xs), grad_b / len(xs)
print('Predict (before training)', 4, forward(4))
for epoch in range({epochs!r}):
    cost_val = cost(x_data, y_data)
    grad_w, grad_b = gradient(x_data, y_data)
    w -= {lr!r} * grad_w
    b -= {lr!r} * grad_b
    print(' Epoch:', epoch, ' w=', w, ' b=', b, ' loss=', cost_val)
print('Predict (after training)', 4, forward(4))
"""


def program(
    x_data: list[float] | None = None,
    y_data: list[float] | None = None,
    w0: float = 1.0,
    lr: float = 0.01,
    epochs: int = 100,
    b0: float | None = None,
) -> str:
    template = TUTORIAL if b0 is None else LINE_PROGRAM
    return template.format(
        x_data=x_data if x_data is not None else [1.0, 2.0, 3.0],
        y_data=y_data if y_data is not None else [2.0, 4.0, 6.0],
        w0=w0,
        b0=b0,
        lr=lr,
        epochs=epochs,
    )


def run_program(source: str) -> str:
    """What the program prints (run in a fresh namespace of this interpreter)."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(source, "<tutorial>", "exec"), {"__name__": "__tutorial__"})
    return out.getvalue()
