"""The formula panel: one step of gradient descent, its numbers checked against the core's."""

from __future__ import annotations

import math
import re
from typing import Any

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from gd_viewer.core import Dataset, Run, RunSettings
from gd_viewer.gui.formula_panel import FormulaPanel
from tests.gui.widgets import child

pytestmark = pytest.mark.gui

#: One number as the panel prints it: a Python float repr (ASCII minus, e-notation, inf, nan).
NUMBER = r"-?(?:inf|nan|\d+(?:\.\d+)?(?:e[-+]\d+)?)"


@pytest.fixture
def panel(qtbot: QtBot) -> FormulaPanel:
    panel = FormulaPanel()
    qtbot.addWidget(panel)
    return panel


def finished_run(model: str = "origin", epochs: int = 100, **settings: Any) -> Run:
    """A tutorial run (with ``settings`` changed) computed to the end."""
    run = Run(Dataset.tutorial(), RunSettings(model=model, epochs=epochs, **settings))
    run.run_to_end()
    return run


def show_row(panel: FormulaPanel, run: Run, k: int) -> None:
    """Feed History row ``k`` (and the next row's parameters, if any) into the panel."""
    row = run.history[k]
    after = run.history[k + 1].params if k + 1 < len(run.history) else None
    data = run.data
    panel.set_step(
        run.settings.model, data.x, data.y, row.params, row.cost, row.grad, run.settings.lr, after
    )


def line(panel: FormulaPanel, start: str, containing: str = "") -> str:
    """The one line of the panel's text beginning with ``start`` (and holding ``containing``)."""
    found = [
        text for text in panel.text().splitlines() if text.startswith(start) and containing in text
    ]
    assert len(found) == 1, (start, panel.text())
    return found[0]


def closed_form_value(panel: FormulaPanel, label: str) -> str:
    """The number after the last ``=`` of the closed-form line of ``label``."""
    match = re.fullmatch(
        rf"{re.escape(label)} = \(\d+/\d+\)·Σ .* = ({NUMBER})", line(panel, label, "Σ")
    )
    assert match, panel.text()
    return match.group(1)


def update(panel: FormulaPanel, name: str) -> tuple[str, str, str, str]:
    """``(w, lr, grad, next)`` as printed in ``name ← w − lr × (grad) = next``."""
    match = re.fullmatch(
        rf"{name} ← ({NUMBER}) − ({NUMBER}) × \(?({NUMBER})\)? = ({NUMBER})",
        line(panel, f"{name} ←"),
    )
    assert match, panel.text()
    return match.group(1), match.group(2), match.group(3), match.group(4)


def evaluate_expansion(panel: FormulaPanel, label: str) -> float:
    """Evaluate the written-out sum of ``label`` as Python arithmetic."""
    expanded = [text for text in panel.text().splitlines() if text.startswith(f"{label} = (2/")]
    assert len(expanded) == 2, panel.text()  # the closed form, then the expanded sum
    formula = expanded[1].split(" = ", 1)[1]
    python = formula.replace("·", "*").replace("−", "-").replace("[", "(").replace("]", ")")
    return float(eval(python, {"__builtins__": {}}))


def check_step(panel: FormulaPanel, run: Run, k: int) -> None:
    """Every number of row ``k`` is the repr of the core's, and the update's arithmetic holds."""
    row, after = run.history[k], run.history[k + 1]
    labels = ("grad",) if len(row.params) == 1 else ("∂cost/∂w", "∂cost/∂b")
    assert closed_form_value(panel, "cost") == repr(row.cost)
    for i, (name, label) in enumerate(zip(("w", "b"), labels, strict=False)):
        assert closed_form_value(panel, label) == repr(row.grad[i])
        w, lr, g, new = update(panel, name)
        assert (w, lr, g, new) == (
            repr(row.params[i]),
            repr(run.settings.lr),
            repr(row.grad[i]),
            repr(after.params[i]),
        )
        # The printed arithmetic, redone from the printed digits, gives the printed result.
        assert float(w) - float(lr) * float(g) == float(new)
        assert evaluate_expansion(panel, label) == pytest.approx(row.grad[i], rel=1e-12)


# --------------------------------------------------------------------------- the tutorial


def test_names_selectable_plain_text(panel: FormulaPanel) -> None:
    assert panel.objectName() == "formulaPanel"
    assert panel.accessibleName()
    label = child(panel, QLabel, "formulaText")
    assert label.textFormat() == Qt.TextFormat.PlainText
    assert label.textInteractionFlags() & Qt.TextInteractionFlag.TextSelectableByMouse
    assert panel.text() == ""


def test_tutorial_epoch_0_reads_as_the_tutorial(panel: FormulaPanel) -> None:
    run = finished_run()
    show_row(panel, run, 0)
    lines = panel.text().splitlines()
    # The core's digits (the tutorial's own printout): 28/3 rounds to ...334, not ...332.
    assert lines[1:5] == [
        "cost = (1/3)·Σ (xᵢ·w − yᵢ)² = 4.666666666666667",
        "grad = (2/3)·Σ xᵢ·(xᵢ·w − yᵢ) = -9.333333333333334",
        "grad = (2/3)·[1·(1·1.0 − 2) + 2·(2·1.0 − 4) + 3·(3·1.0 − 6)]",
        "w ← 1.0 − 0.01 × (-9.333333333333334) = 1.0933333333333333",
    ]
    assert "n = 3" in lines[0] and "lr = 0.01" in lines[0]
    assert "negative" in lines[5] and "w grows" in lines[5] and "right" in lines[5]
    check_step(panel, run, 0)


@pytest.mark.parametrize("k", [1, 7, 42, 98])
def test_tutorial_later_epochs_match_the_core(panel: FormulaPanel, k: int) -> None:
    run = finished_run()
    show_row(panel, run, k)
    check_step(panel, run, k)
    assert f"grad = (2/3)·[1·(1·{run.history[k].params[0]!r} − 2)" in panel.text()


def test_gradient_positive_moves_left(panel: FormulaPanel) -> None:
    run = finished_run(w0=3.0, epochs=2)
    show_row(panel, run, 0)
    check_step(panel, run, 0)
    assert "positive, so w shrinks (moves left)" in panel.text()


# --------------------------------------------------------------------------- the line


@pytest.mark.parametrize("k", [0, 5, 60])
def test_line_model_shows_both_partials_and_updates(panel: FormulaPanel, k: int) -> None:
    run = finished_run("line")
    show_row(panel, run, k)
    check_step(panel, run, k)
    text = panel.text()
    assert "cost = (1/3)·Σ (xᵢ·w + b − yᵢ)² = " in text
    assert "∂cost/∂b = (2/3)·Σ (xᵢ·w + b − yᵢ) = " in text
    assert "grad =" not in text
    assert "so b grows" in text or "so b shrinks" in text


# --------------------------------------------------------------------------- edge cases


def test_ended_run_says_so_instead_of_an_update(panel: FormulaPanel) -> None:
    run = finished_run(epochs=3)
    show_row(panel, run, 3)  # the last row: no next parameters
    text = panel.text()
    assert "←" not in text and "grows" not in text
    assert "ended" in text
    assert closed_form_value(panel, "grad") == repr(run.history[3].grad[0])


def test_other_optimizers_do_not_print_false_arithmetic(panel: FormulaPanel) -> None:
    run = finished_run(optimizer="momentum", epochs=5)
    show_row(panel, run, 3)
    after = repr(run.history[4].params[0])
    # Momentum's step is not w − lr·grad: the panel gives the result, not false arithmetic.
    assert line(panel, "w ←").startswith(f"w ← {after}   (")
    assert " = " not in line(panel, "w ←") and "grows" not in panel.text()


@pytest.mark.parametrize(
    "values",
    [
        ([math.nan], math.nan, [math.nan], [math.nan]),
        ([1e308], math.inf, [-math.inf], [math.inf]),
        ([-1e308], 1e308, [1e308], [-math.inf]),
        ([0.0], 0.0, [0.0], [0.0]),
    ],
)
def test_non_finite_and_huge_numbers_never_raise(
    panel: FormulaPanel, values: tuple[list[float], float, list[float], list[float]]
) -> None:
    params, cost, grad, after = values
    x = np.array([1.0, math.inf, -2.5])
    y = np.array([math.nan, 4.0, 1e300])
    panel.set_step("origin", x, y, params, cost, grad, 1e10, after)
    assert closed_form_value(panel, "cost") == repr(cost)
    assert closed_form_value(panel, "grad") == repr(grad[0])
    assert "(-2.5)·((-2.5)·" in panel.text() and "− 1e+300" in panel.text()
    panel.set_step("line", x, y, [*params, math.nan], cost, [*grad, math.inf], 0.5, None)
    assert closed_form_value(panel, "∂cost/∂b") == "inf"


def test_more_than_five_points_show_only_the_closed_form(panel: FormulaPanel) -> None:
    x = np.arange(1.0, 7.0)
    panel.set_step("origin", x, 2 * x, [1.0], 30.0, [-60.0], 0.01, [1.6])
    assert "[" not in panel.text()
    assert closed_form_value(panel, "grad") == "-60.0"
    assert "cost = (1/6)·Σ" in panel.text()
    assert "w ← 1.0 − 0.01 × (-60.0) = 1.6" in panel.text()
    panel.set_step("origin", x[:5], 2 * x[:5], [1.0], 30.0, [-60.0], 0.01, [1.6])
    assert "grad = (2/5)·[1·(1·1.0 − 2) + " in panel.text()
    assert "5·(5·1.0 − 10)]" in panel.text()


def test_rebuilds_only_when_a_number_changes(
    panel: FormulaPanel, monkeypatch: pytest.MonkeyPatch
) -> None:
    label = child(panel, QLabel, "formulaText")
    texts: list[str] = []
    original = label.setText

    def counting(text: str) -> None:
        texts.append(text)
        original(text)

    monkeypatch.setattr(label, "setText", counting)
    run = finished_run()
    for _ in range(3):
        show_row(panel, run, 4)
    assert len(texts) == 1
    show_row(panel, run, 5)
    assert len(texts) == 2 and panel.text() == texts[-1]
    panel.clear()
    assert panel.text() == ""
    show_row(panel, run, 5)  # after clear() the same step shows again
    assert len(texts) == 3 and repr(run.history[5].cost) in panel.text()


def test_wrong_parameter_count_is_a_caller_error(panel: FormulaPanel) -> None:
    x = np.array([1.0, 2.0])
    with pytest.raises(ValueError):
        panel.set_step("line", x, x, [1.0], 1.0, [1.0], 0.1, None)
    with pytest.raises(ValueError):
        panel.set_step("parabola", x, x, [1.0], 1.0, [1.0], 0.1, None)


def test_in_a_narrow_column_the_lines_wrap_at_its_edge(qtbot: QtBot) -> None:
    """Beside the run table in the smallest window: the words wrap at the column's edge.
    (A label as wide as its longest number was wider than the column, and every line was cut
    at the edge, not only that number's.)"""
    from PySide6.QtWidgets import QScrollArea

    panel = FormulaPanel()
    area = QScrollArea()
    area.setWidget(panel)
    area.setWidgetResizable(True)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    qtbot.addWidget(area)
    area.resize(150, 300)
    area.show()
    qtbot.waitExposed(area)
    show_row(panel, finished_run(lr=0.013), 7)  # numbers of 17 digits and more
    qtbot.wait(20)
    label = child(panel, QLabel, "formulaText")
    assert label.width() <= area.viewport().width()
    assert "step for" in panel.text()  # (the text itself is whole)
