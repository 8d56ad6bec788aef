"""Learning-rate analysis: the tutorial's curvature 28/3 and what follows from it."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest

from gd_viewer.core import Analysis, Dataset, LineModel, OriginModel, Run, RunSettings

TUTORIAL = Dataset.tutorial()
CURVATURE = Fraction(2) * Fraction(1 + 4 + 9, 3)  # 2·mean(x²) = 28/3
LINE_EIGENVALUES = (  # of 2·[[14/3, 2], [2, 1]]: (34 ± √1060)/6
    (34 - math.sqrt(1060)) / 6,
    (34 + math.sqrt(1060)) / 6,
)


def _origin() -> Analysis:
    return Analysis.of(OriginModel().quadratic(TUTORIAL))


def _line() -> Analysis:
    return Analysis.of(LineModel().quadratic(TUTORIAL))


def test_tutorial_curvature_is_28_over_3() -> None:
    assert math.isclose(_origin().curvature, float(CURVATURE), rel_tol=1e-15)


def test_tutorial_stable_limit_one_step_rate_and_best_rate() -> None:
    analysis = _origin()
    assert math.isclose(analysis.stable_limit, 3 / 14, rel_tol=1e-15)
    assert math.isclose(analysis.one_step_rate, 3 / 28, rel_tol=1e-15)
    assert math.isclose(analysis.best_constant_rate, 3 / 28, rel_tol=1e-15)
    assert math.isclose(analysis.optimum[0], 2.0, rel_tol=1e-15)
    assert 0.0 <= analysis.min_cost <= 1e-25 * (4 + 16 + 36) / 3


@pytest.mark.parametrize("lr", [0.001, 0.01, 0.05, 3 / 28, 0.15, 0.2, 0.25, 1.0])
def test_contraction_is_abs_one_minus_lr_times_curvature(lr: float) -> None:
    assert math.isclose(
        _origin().contraction(lr), abs(1 - lr * 28 / 3), rel_tol=1e-12, abs_tol=1e-15
    )


def test_tutorial_contraction_at_lr_0_01_by_hand() -> None:
    # 1 − 0.01·28/3 = 1 − 0.28/3 = 2.72/3
    assert math.isclose(_origin().contraction(0.01), float(1 - Fraction(28, 300)), rel_tol=1e-15)


@pytest.mark.parametrize(
    ("lr", "converges", "oscillates"),
    [
        (0.01, True, False),
        (0.1, True, False),
        (0.11, True, True),
        (0.2, True, True),
        (0.99 * 3 / 14, True, True),
        (1.01 * 3 / 14, False, True),
        (1.0, False, True),
    ],
)
def test_converges_and_oscillates_on_the_tutorial(
    lr: float, converges: bool, oscillates: bool
) -> None:
    analysis = _origin()
    assert analysis.converges(lr) is converges
    assert analysis.oscillates(lr) is oscillates


@pytest.mark.parametrize("lr", [0.0, -0.01])
def test_non_positive_rates_do_not_converge(lr: float) -> None:
    assert not _origin().converges(lr)


@pytest.mark.parametrize("lr", [0.01, 0.05, 0.15, 0.2])
def test_run_error_shrinks_by_the_contraction_and_oscillates_as_predicted(lr: float) -> None:
    analysis = _origin()
    run = Run(TUTORIAL, RunSettings(lr=lr, epochs=12))
    run.run_to_end()
    error = run.history.params[:, 0] - 2.0
    ratios = error[1:] / error[:-1]
    np.testing.assert_allclose(np.abs(ratios), analysis.contraction(lr), rtol=1e-9)
    assert bool((ratios < 0).all()) is analysis.oscillates(lr)


def test_line_model_eigenvalues_and_limits_by_hand() -> None:
    analysis = _line()
    np.testing.assert_allclose(analysis.eigenvalues, LINE_EIGENVALUES, rtol=1e-12)
    lo, hi = LINE_EIGENVALUES
    assert math.isclose(analysis.curvature, hi, rel_tol=1e-12)
    assert math.isclose(analysis.stable_limit, 2 / hi, rel_tol=1e-12)
    assert math.isclose(analysis.one_step_rate, 1 / hi, rel_tol=1e-12)
    assert math.isclose(analysis.best_constant_rate, 2 / (lo + hi), rel_tol=1e-12)
    for lr in (0.01, 0.1, 0.2):
        expected = max(abs(1 - lr * lo), abs(1 - lr * hi))
        assert math.isclose(analysis.contraction(lr), expected, rel_tol=1e-12)
    assert analysis.converges(0.17) and not analysis.converges(0.19)


def test_flat_data_has_no_curvature_and_every_rate_is_stable() -> None:
    analysis = Analysis.of(OriginModel().quadratic(Dataset([0.0, 0.0], [1.0, -1.0])))
    assert analysis.curvature == 0.0
    assert analysis.stable_limit == math.inf
    assert analysis.converges(1e6)
    assert not analysis.oscillates(1e6)


@pytest.mark.parametrize("lr", [0.01, 0.03, 0.15, 0.2])
@pytest.mark.parametrize("tolerance", [1e-2, 1e-5, 1e-9])
def test_epochs_to_tolerance_is_when_the_run_first_gets_there(lr: float, tolerance: float) -> None:
    analysis = _origin()
    predicted = analysis.epochs_to_tolerance(lr, (1.0,), tolerance)
    assert predicted == int(predicted)
    run = Run(TUTORIAL, RunSettings(lr=lr, epochs=int(predicted) + 5))
    run.run_to_end()
    distance = np.abs(run.history.params[:, 0] - 2.0)
    first = int(np.argmax(distance <= tolerance))
    assert distance[first] <= tolerance
    assert first == predicted


def test_epochs_to_tolerance_special_cases() -> None:
    analysis = _origin()
    assert analysis.epochs_to_tolerance(0.01, (2.0,), 1e-6) == 0
    assert analysis.epochs_to_tolerance(0.01, (2.0 + 1e-7,), 1e-6) == 0
    assert analysis.epochs_to_tolerance(3 / 28, (1.0,), 1e-6) == 1
    assert analysis.epochs_to_tolerance(0.3, (1.0,), 1e-6) == math.inf
    assert analysis.epochs_to_tolerance(3 / 14, (1.0,), 1e-6) == math.inf


@pytest.mark.parametrize("lr", [0.02, 0.1, 0.17])
def test_epochs_to_tolerance_bounds_the_line_models_run(lr: float) -> None:
    analysis = _line()
    tolerance = 1e-4
    bound = analysis.epochs_to_tolerance(lr, (1.0, 0.0), tolerance)
    run = Run(TUTORIAL, RunSettings(model="line", lr=lr, epochs=int(bound)))
    run.run_to_end()
    distance = np.hypot(run.history.params[:, 0] - 2.0, run.history.params[:, 1])
    assert distance[int(bound)] <= tolerance
