"""One gradient-descent step written out with the live numbers substituted.

The panel shows the cost, the gradient and the update of the epoch on show as the tutorial
writes them, then with the numbers put in, so a learner can redo the arithmetic by hand.
Numbers are the Python repr of each float, as the status line and ``gd-viewer run`` print
them, so every digit equals the core's. A number keeps its ASCII ``-`` (copied into Python it
parses); the operators are the minus sign ``−`` and ``×``, so a sign is never mistaken for a
subtraction and automation can pull the numbers out with one regular expression.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontDatabase, QFontInfo
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from gd_viewer.core.models import get_model

#: Up to this many points the gradient's sum is also written out term by term.
MAX_EXPANDED_POINTS = 5
#: Fonts with Chinese glyphs, tried after the system's fixed-width font: the planned Chinese
#: translation puts CJK text in the sentences, and a fixed-width font alone has none.
CJK_FAMILIES = (
    "Sarasa Mono SC",
    "Noto Sans Mono CJK SC",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Zen Hei Mono",
    "WenQuanYi Micro Hei Mono",
    "Droid Sans Fallback",
    "Microsoft YaHei",
    "PingFang SC",
)


def number(value: float) -> str:
    """``value`` as the status line prints it: the repr of the Python float."""
    return repr(float(value))


def _wrapped(text: str) -> str:
    """A negative number in parentheses, so ``− (-2)`` never reads as ``− -2``."""
    return f"({text})" if text.startswith("-") else text


def _datum(value: float) -> str:
    # The tutorial's points are whole numbers; "1" reads better than "1.0" in a long sum
    # and is the same value.
    v = float(value)
    if math.isfinite(v) and v.is_integer() and abs(v) < 2.0**53:
        return _wrapped(str(int(v)))
    return _wrapped(repr(v))


def _residual(x: str, y: str, params: Sequence[str]) -> str:
    """``x·w − y`` or ``x·w + b − y`` with the given symbols or numbers."""
    if len(params) == 1:
        return f"{x}·{params[0]} − {y}"
    return f"{x}·{params[0]} + {params[1]} − {y}"


def _gradient_term(index: int, x: str, residual: str) -> str:
    # ∂/∂w of (x·w + b − y)² brings down a factor x; ∂/∂b brings down 1.
    return f"{x}·({residual})" if index == 0 else f"({residual})"


class _Shown(NamedTuple):
    """Every string the panel shows; equal to the last one means nothing to redraw."""

    n: int
    points: tuple[tuple[str, str], ...]  # (x, y) of each point, when the sum is expanded
    params: tuple[str, ...]
    cost: str
    grads: tuple[str, ...]
    lr: str
    nexts: tuple[str, ...] | None


@functools.cache
def _formula_families() -> tuple[str, ...]:
    # Only families that exist: asking Qt for a missing one makes it build its alias table
    # (slow, and it logs a warning); the installed fonts do not change while the app runs.
    installed = set(QFontDatabase.families())
    # The system's fixed font is often an alias ("monospace"); QFontInfo names the real one.
    fixed = QFontInfo(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)).family()
    return (fixed, *(family for family in CJK_FAMILIES if family in installed))


class FormulaPanel(QWidget):
    """The step at the epoch on show: cost, gradient and update with the numbers in.

    Plain, selectable text in a fixed-width font with Chinese fallbacks. It has no signals;
    its setters never emit. The text is rebuilt only when a shown number changes, so it can
    be fed every frame while a run plays.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("formulaPanel")
        self.setAccessibleName(self.tr("Gradient-descent step with numbers"))
        self._shown: tuple[str, _Shown] | None = None
        label = QLabel(self)
        label.setObjectName("formulaText")
        label.setAccessibleName(self.tr("Formulas of the step on show"))
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        label.setWordWrap(True)  # long reprs in the expanded sum must not widen the window
        # Nor the panel: at least as wide as its longest number, the label was wider than a
        # narrow column, and every line was cut at the column's edge, not only that number's.
        label.setMinimumWidth(1)
        label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        font = QFont(label.font())
        font.setFamilies(list(_formula_families()))
        font.setStyleHint(QFont.StyleHint.TypeWriter)
        label.setFont(font)
        self._label = label
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(label)

    # ------------------------------------------------------------ public

    def set_step(
        self,
        model_name: str,
        x: np.ndarray,
        y: np.ndarray,
        params: Sequence[float],
        cost: float,
        grad: Sequence[float],
        lr: float,
        next_params: Sequence[float] | None,
    ) -> None:
        """Show the step from ``params`` (with its ``cost`` and ``grad``) to ``next_params``.

        Parameters
        ----------
        model_name
            ``"origin"`` (``y = w·x``) or ``"line"`` (``y = w·x + b``).
        x, y
            The data; only their length is read beyond ``MAX_EXPANDED_POINTS`` points.
        params, cost, grad
            A History row: the parameters at the start of the epoch, the cost and the
            gradient there. NaN, ±inf and huge values are shown as they are.
        lr
            The learning rate.
        next_params
            The parameters after the update, or None when the run ended (finished or
            diverged) at this epoch: the panel says so instead of showing an update.

        Raises
        ------
        ValueError
            An unknown model, or ``params`` / ``grad`` / ``next_params`` of the wrong length.
        """
        model = get_model(model_name)
        sizes = {len(params), len(grad), model.n_params}
        if next_params is not None:
            sizes.add(len(next_params))
        if len(sizes) != 1:
            raise ValueError(f"{model.name} has {model.n_params} parameter(s)")
        n = len(x)
        points: tuple[tuple[str, str], ...] = ()
        if n <= MAX_EXPANDED_POINTS:
            points = tuple((_datum(a), _datum(b)) for a, b in zip(x, y, strict=False))
        nexts = None if next_params is None else tuple(map(number, next_params))
        shown = _Shown(
            n, points, tuple(map(number, params)), number(cost), tuple(map(number, grad)),
            number(lr), nexts,
        )  # fmt: skip
        if (model.name, shown) == self._shown:
            return  # the same numbers: skip the relayout a new text would cost
        self._shown = (model.name, shown)
        self._label.setText("\n".join(self._lines(model.formula, model.parameter_names, shown)))

    def clear(self) -> None:
        """Show nothing (no run)."""
        self._shown = None
        self._label.clear()

    def text(self) -> str:
        """The panel's full plain text, as shown (empty after :meth:`clear`)."""
        return self._label.text()

    # ------------------------------------------------------------ building

    def _lines(self, formula: str, names: tuple[str, ...], shown: _Shown) -> list[str]:
        n, points, params, cost, grads, lr, nexts = shown
        symbolic = _residual("xᵢ", "yᵢ", names)
        labels = ("grad",) if len(names) == 1 else tuple(f"∂cost/∂{name}" for name in names)
        lines = [
            self.tr("One gradient-descent step for {formula}: n = {n} points, lr = {lr}").format(
                formula=formula, n=n, lr=lr
            ),
            f"cost = (1/{n})·Σ ({symbolic})² = {cost}",
        ]
        for i, label in enumerate(labels):
            lines.append(f"{label} = (2/{n})·Σ {_gradient_term(i, 'xᵢ', symbolic)} = {grads[i]}")
            if points:
                values = [_wrapped(p) for p in params]
                terms = " + ".join(
                    _gradient_term(i, px, _residual(px, py, values)) for px, py in points
                )
                lines.append(f"{label} = (2/{n})·[{terms}]")
        if nexts is None:
            lines.append(self.tr("No update: the run ended at this epoch (finished or diverged)."))
            return lines
        sentences = []
        for name, label, p, g, after in zip(names, labels, params, grads, nexts, strict=True):
            # Python float arithmetic never raises (overflow gives inf, inf − inf gives nan).
            plain = number(float(p) - float(lr) * float(g))
            if plain != after:
                # Not plain gradient descent (momentum, Adam, mini-batches): writing
                # "w − lr × grad = next" here would be false arithmetic.
                lines.append(
                    f"{name} ← {after}   "
                    + self.tr("(this optimizer's step is not lr × the gradient above)")
                )
                continue
            lines.append(f"{name} ← {p} − {lr} × {_wrapped(g)} = {after}")
            sentences.append(self._direction(name, label, float(g)))
        return lines + sentences

    def _direction(self, name: str, label: str, g: float) -> str:
        """Which way ``name`` moves and why, in words."""
        subject = self.tr("The gradient") if label == "grad" else label
        if math.isnan(g) or math.isinf(g):
            return self.tr("{gradient} is {value}, so this step says nothing about {p}.").format(
                gradient=subject, value=number(g), p=name
            )
        if g == 0:
            return self.tr("{gradient} is zero, so {p} stays: the cost is flat there.").format(
                gradient=subject, p=name
            )
        if name == "b":
            way = self.tr("the line moves up") if g < 0 else self.tr("the line moves down")
        else:
            way = self.tr("moves right") if g < 0 else self.tr("moves left")
        if g < 0:
            text = self.tr(
                "{gradient} is negative, so {p} grows ({way}): each step goes against the "
                "gradient, which points uphill."
            )
        else:
            text = self.tr(
                "{gradient} is positive, so {p} shrinks ({way}): each step goes against the "
                "gradient, which points uphill."
            )
        return text.format(gradient=subject, p=name, way=way)
