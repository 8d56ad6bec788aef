"""Models: per-point arithmetic equal to the tutorial's loops, and the exact quadratic form."""

from __future__ import annotations

import math
import pickle

import numpy as np
import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st

from gd_viewer.core import Dataset, LineModel, Model, OriginModel, get_model
from gd_viewer.core.streaming import PILOT_SAMPLE, origin_fit
from tests.core import tutorial_oracle as oracle
from tests.core.strategies import FAST, SLOW, params_for, point_lists

ORIGIN = OriginModel()
LINE = LineModel()
EPS = float(np.finfo(np.float64).eps)


def _arrays(xs: list[float], ys: list[float]) -> tuple[np.ndarray, np.ndarray]:
    return np.asarray(xs, dtype=np.float64), np.asarray(ys, dtype=np.float64)


def _design(x: np.ndarray, model: Model) -> np.ndarray:
    return x[:, None] if model.n_params == 1 else np.column_stack([x, np.ones_like(x)])


def _term_scale(x: np.ndarray, y: np.ndarray, params: list[float] | tuple[float, ...]) -> float:
    """Mean of (|x·w| + |b| + |y|)²: the size of the terms the cost adds up."""
    b = abs(params[1]) if len(params) == 2 else 0.0
    return float(np.mean((np.abs(x * params[0]) + b + np.abs(y)) ** 2))


def _grad_scales(
    x: np.ndarray, y: np.ndarray, params: list[float] | tuple[float, ...]
) -> np.ndarray:
    """Per component, the mean size of the terms the gradient adds up."""
    b = abs(params[1]) if len(params) == 2 else 0.0
    size = np.abs(x * params[0]) + b + np.abs(y)
    scales = [float(np.mean(2 * np.abs(x) * size))]
    if len(params) == 2:
        scales.append(float(np.mean(2 * size)))
    return np.asarray(scales)


# ------------------------------------------------------------------ registry


def test_get_model_by_name() -> None:
    assert isinstance(get_model("origin"), OriginModel)
    assert isinstance(get_model("line"), LineModel)
    assert get_model("origin").parameter_names == ("w",)
    assert get_model("line").parameter_names == ("w", "b")


@pytest.mark.parametrize("name", ["", "Origin", "quadratic", "lines"])
def test_get_model_unknown_name_is_a_value_error(name: str) -> None:
    with pytest.raises(ValueError, match="origin"):
        get_model(name)


def test_predictions() -> None:
    x = np.array([1.0, 2.0, -3.0])
    assert ORIGIN.predict([2.0], x).tolist() == [2.0, 4.0, -6.0]
    assert LINE.predict([2.0, 0.5], x).tolist() == [2.5, 4.5, -5.5]
    assert ORIGIN.predict([2.0], 4.0) == 8.0


# ------------------------------------------------------------------ the tutorial's numbers


def test_tutorial_cost_and_gradient_at_w_1_by_hand() -> None:
    # Residuals at w = 1 are -1, -2, -3: cost (1 + 4 + 9)/3, gradient 2·(-1 - 4 - 9)/3.
    x, y = Dataset.tutorial().x, Dataset.tutorial().y
    assert ORIGIN.cost([1.0], x, y) == 14 / 3
    assert ORIGIN.gradient([1.0], x, y) == [-28 / 3]
    assert ORIGIN.cost_and_gradient([2.0], x, y) == (0.0, [0.0])


def test_line_cost_and_gradient_by_hand() -> None:
    x, y = np.array([0.0, 1.0]), np.array([1.0, 3.0])
    # At (w, b) = (1, 0): residuals -1, -2: cost 5/2, dw = 2·(0·-1 + 1·-2)/2, db = 2·(-3)/2.
    assert LINE.cost([1.0, 0.0], x, y) == 2.5
    assert LINE.gradient([1.0, 0.0], x, y) == [-2.0, -3.0]


# ------------------------------------------------------------------ bit for bit vs the loops


@FAST
@given(point_lists(), params_for(1))
@example(([1.0], [707.076519201308]), [0.0])  # a residual where x**2 and x*x round apart
def test_origin_cost_equals_tutorial_loop_bit_for_bit(
    points: tuple[list[float], list[float]], params: list[float]
) -> None:
    xs, ys = points
    x, y = _arrays(xs, ys)
    assert ORIGIN.cost(params, x, y) == oracle.cost_origin(xs, ys, params[0])


@FAST
@given(point_lists(), params_for(1))
def test_origin_gradient_equals_tutorial_loop_bit_for_bit(
    points: tuple[list[float], list[float]], params: list[float]
) -> None:
    xs, ys = points
    x, y = _arrays(xs, ys)
    assert ORIGIN.gradient(params, x, y) == [oracle.gradient_origin(xs, ys, params[0])]
    cost, grad = ORIGIN.cost_and_gradient(params, x, y)
    assert grad == ORIGIN.gradient(params, x, y)
    assert cost == ORIGIN.cost(params, x, y)


@FAST
@given(point_lists(), params_for(2))
@example(([1.0], [707.076519201308]), [0.0, 0.0])
def test_line_cost_equals_loop_bit_for_bit(
    points: tuple[list[float], list[float]], params: list[float]
) -> None:
    xs, ys = points
    x, y = _arrays(xs, ys)
    assert LINE.cost(params, x, y) == oracle.cost_line(xs, ys, *params)


@FAST
@given(point_lists(), params_for(2))
def test_line_gradient_equals_loop_bit_for_bit(
    points: tuple[list[float], list[float]], params: list[float]
) -> None:
    xs, ys = points
    x, y = _arrays(xs, ys)
    assert LINE.gradient(params, x, y) == list(oracle.gradient_line(xs, ys, *params))


# ------------------------------------------------------------------ gradient vs finite differences


@FAST
@given(st.sampled_from([ORIGIN, LINE]), point_lists(max_points=200, bound=1e3), params_for(2))
def test_gradient_matches_central_finite_differences(
    model: Model, points: tuple[list[float], list[float]], start: list[float]
) -> None:
    x, y = _arrays(*points)
    params = start[: model.n_params]
    analytic = model.gradient(params, x, y)
    # The cost is quadratic, so central differences have no truncation error; what is
    # left is the rounding of the two costs, divided by the step.
    rounding = (x.size + 4) * EPS * _term_scale(x, y, params)
    for i in range(model.n_params):
        h = 1e-6 * max(1.0, abs(params[i]))
        up, down = list(params), list(params)
        up[i] += h
        down[i] -= h
        step = up[i] - down[i]
        numeric = (model.cost(up, x, y) - model.cost(down, x, y)) / step
        tolerance = 1e-6 * abs(analytic[i]) + 4 * rounding / step
        assert abs(numeric - analytic[i]) <= tolerance, (i, numeric, analytic[i])


# ------------------------------------------------------------------ the quadratic form


@st.composite
def well_posed(draw: st.DrawFn) -> tuple[Model, np.ndarray, np.ndarray]:
    model = draw(st.sampled_from([ORIGIN, LINE]))
    xs, ys = draw(point_lists(max_points=300, bound=1e3))
    x, y = _arrays(xs, ys)
    design = _design(x, model)
    assume(x.size >= model.n_params and np.linalg.matrix_rank(design) == model.n_params)
    assume(np.linalg.cond(design) < 1e3)
    return model, x, y


@FAST
@given(well_posed())
def test_optimum_equals_lstsq(case: tuple[Model, np.ndarray, np.ndarray]) -> None:
    model, x, y = case
    expected = np.linalg.lstsq(_design(x, model), y, rcond=None)[0]
    optimum = np.asarray(model.quadratic(Dataset(x, y)).optimum)
    scale = float(np.linalg.norm(expected)) + float(np.linalg.norm(y) / np.linalg.norm(x))
    np.testing.assert_allclose(optimum, expected, rtol=1e-9, atol=1e-12 * scale)
    assert model.optimum(Dataset(x, y)) == tuple(optimum)


@FAST
@given(well_posed())
def test_min_cost_is_the_cost_at_the_optimum(case: tuple[Model, np.ndarray, np.ndarray]) -> None:
    model, x, y = case
    quadratic = model.quadratic(Dataset(x, y))
    at_optimum = model.cost(quadratic.optimum, x, y)
    scale = _term_scale(x, y, quadratic.optimum)
    assert math.isclose(quadratic.min_cost, at_optimum, rel_tol=1e-9, abs_tol=1e-14 * scale)
    # And nothing is lower: lstsq's answer costs at least as much.
    best = np.linalg.lstsq(_design(x, model), y, rcond=None)[0]
    assert model.cost(best.tolist(), x, y) >= quadratic.min_cost - 1e-12 * scale


@pytest.mark.parametrize("model", [ORIGIN, LINE], ids=["origin", "line"])
def test_perfect_fit_has_near_zero_min_cost(model: Model) -> None:
    rng = np.random.default_rng(5)
    x = rng.uniform(-10.0, 10.0, 5000)
    y = 3.0 * x if model is ORIGIN else 3.0 * x - 2.0
    quadratic = model.quadratic(Dataset(x, y))
    assert 0.0 <= quadratic.min_cost <= 1e-25 * float(np.mean(y * y))
    expected = (3.0,) if model is ORIGIN else (3.0, -2.0)
    np.testing.assert_allclose(quadratic.optimum, expected, rtol=1e-13, atol=1e-13)


def test_perfect_fit_of_many_points_reaches_zero_where_the_sums_formula_cannot() -> None:
    # Enough points that the origin model's pilot slope comes from a strided sample.
    x = np.random.default_rng(6).uniform(0.0, 10.0, 300_000)
    y = 3.0 * x
    quadratic = ORIGIN.quadratic(Dataset(x, y))
    assert origin_fit(Dataset(x, y).xy)[3:] == ("residuals", 1)
    assert quadratic.optimum[0] == pytest.approx(3.0, rel=1e-15)
    assert 0.0 <= quadratic.min_cost <= 1e-25 * float(np.mean(y * y))
    # The textbook one-pass formula is off by far more, which is why it is not used.
    sums_formula = (float(y @ y) - float(x @ y) ** 2 / float(x @ x)) / x.size
    assert abs(sums_formula) > 1e6 * quadratic.min_cost


def test_origin_fit_of_loose_data_from_the_sums_matches_an_exactly_rounded_sum() -> None:
    rng = np.random.default_rng(12)
    x = rng.normal(0.0, 1.0, 1_000_000)
    y = 2.0 * x + rng.normal(0.0, 1.0, x.size)
    fit = origin_fit(Dataset(x, y).xy)
    assert (fit.method, fit.passes) == ("sums", 1)
    exact_w = math.fsum(x * y) / math.fsum(x * x)
    assert fit.w == pytest.approx(exact_w, rel=1e-13)
    residual = fit.w * x - y
    assert fit.min_cost == pytest.approx(math.fsum(residual * residual) / x.size, rel=1e-12)


def test_origin_fit_is_exact_when_the_strided_sample_misleads() -> None:
    # The sampled points say w = 2 but weigh almost nothing (x ≈ 1e-6); all others
    # lie on w = −5. About the pilot the residuals are large and the least cost is
    # tiny beside them: correcting the pilot would cancel, so a second pass is needed.
    n = 200_000
    x = np.random.default_rng(8).uniform(1.0, 2.0, n)
    y = -5.0 * x
    sampled = np.zeros(n, dtype=bool)
    sampled[:: n // PILOT_SAMPLE] = True
    x[sampled] *= 1e-6
    y[sampled] = 2.0 * x[sampled]
    quadratic = ORIGIN.quadratic(Dataset(x, y))
    assert origin_fit(Dataset(x, y).xy)[3:] == ("residuals twice", 3)
    (expected,) = np.linalg.lstsq(x[:, None], y, rcond=None)[0]
    assert quadratic.optimum[0] == pytest.approx(expected, rel=1e-12)
    direct = float(np.mean((quadratic.optimum[0] * x - y) ** 2))
    assert direct > 0.0
    assert quadratic.min_cost == pytest.approx(direct, rel=1e-6, abs=0.0)


def test_origin_fit_is_exact_when_the_strided_sample_looks_loose_but_the_fit_is_good() -> None:
    # The sampled points are pure noise, but tiny; all others lie on y = 3x exactly.
    # The sums formula would cancel to rounding noise here: the residuals are needed.
    n = 200_000
    rng = np.random.default_rng(10)
    x = rng.uniform(1.0, 2.0, n)
    y = 3.0 * x
    sampled = np.zeros(n, dtype=bool)
    sampled[:: n // PILOT_SAMPLE] = True
    x[sampled] = rng.uniform(1e-5, 2e-5, sampled.sum())
    y[sampled] = rng.normal(0.0, 1e-5, sampled.sum())
    quadratic = ORIGIN.quadratic(Dataset(x, y))
    assert origin_fit(Dataset(x, y).xy)[3:] == ("residuals", 2)
    (expected,) = np.linalg.lstsq(x[:, None], y, rcond=None)[0]
    assert quadratic.optimum[0] == pytest.approx(expected, rel=1e-14)
    direct = float(np.mean((quadratic.optimum[0] * x - y) ** 2))
    assert quadratic.min_cost == pytest.approx(direct, rel=1e-6, abs=0.0)


def test_degenerate_origin_data_all_x_zero_gives_w_zero() -> None:
    x = np.zeros(4)
    y = np.array([1.0, -2.0, 3.0, 0.5])
    quadratic = ORIGIN.quadratic(Dataset(x, y))
    expected = np.linalg.lstsq(x[:, None], y, rcond=None)[0]
    assert quadratic.optimum == (0.0,) == tuple(expected.tolist())
    assert math.isclose(quadratic.min_cost, float(np.mean(y * y)), rel_tol=1e-15)
    assert quadratic.hessian.tolist() == [[0.0]]


@pytest.mark.parametrize("c", [0.0, 1.0, -2.5, 0.1, 1e3])
def test_degenerate_line_data_all_x_equal_gives_minimum_norm_solution(c: float) -> None:
    x = np.full(5, c)
    y = np.array([1.0, 2.0, 4.0, -1.0, 0.5])
    quadratic = LINE.quadratic(Dataset(x, y))
    expected = np.linalg.lstsq(_design(x, LINE), y, rcond=None)[0]
    np.testing.assert_allclose(quadratic.optimum, expected, rtol=1e-9, atol=1e-12)
    # Any line through (c, mean y) fits as well: the least cost is y's variance.
    assert math.isclose(quadratic.min_cost, float(np.var(y)), rel_tol=1e-12)
    assert math.isclose(
        quadratic.min_cost, LINE.cost(quadratic.optimum, x, y), rel_tol=1e-12, abs_tol=1e-15
    )


def test_hessians_of_the_tutorial_data_by_hand() -> None:
    data = Dataset.tutorial()
    # mean(x²) = 14/3, mean(x) = 2.
    np.testing.assert_allclose(ORIGIN.hessian(data), [[28 / 3]], rtol=1e-15)
    np.testing.assert_allclose(LINE.hessian(data), [[28 / 3, 4.0], [4.0, 2.0]], rtol=1e-15)


@FAST
@given(point_lists(max_points=300, bound=1e3))
def test_hessian_is_twice_the_second_moments(points: tuple[list[float], list[float]]) -> None:
    x, y = _arrays(*points)
    data = Dataset(x, y)
    mxx, mx = float(np.mean(x * x)), float(np.mean(x))
    atol = 1e-12 * (mxx + 1.0)
    np.testing.assert_allclose(ORIGIN.quadratic(data).hessian, [[2 * mxx]], rtol=1e-12, atol=atol)
    np.testing.assert_allclose(
        LINE.quadratic(data).hessian,
        [[2 * mxx, 2 * mx], [2 * mx, 2.0]],
        rtol=1e-12,
        atol=atol,
    )


@FAST
@given(well_posed(), st.lists(params_for(2), min_size=1, max_size=4))
def test_evaluate_equals_per_point_cost_and_gradient(
    case: tuple[Model, np.ndarray, np.ndarray], points: list[list[float]]
) -> None:
    model, x, y = case
    quadratic = model.quadratic(Dataset(x, y))
    # Also right at the optimum and next to it, where the cost is smallest.
    near = [list(quadratic.optimum), [p * (1 + 1e-7) + 1e-9 for p in quadratic.optimum]]
    for params in [p[: model.n_params] for p in points] + near:
        cost, grad = quadratic.evaluate(params)
        expected_cost, expected_grad = model.cost_and_gradient(params, x, y)
        assert math.isclose(
            cost, expected_cost, rel_tol=1e-12, abs_tol=1e-12 * _term_scale(x, y, params)
        )
        np.testing.assert_allclose(
            grad, expected_grad, rtol=1e-12, atol=1e-12 * float(_grad_scales(x, y, params).max())
        )
        assert quadratic.cost(params) == cost and quadratic.gradient(params) == grad


@SLOW
@given(well_posed())
def test_cost_grid_equals_per_point_cost_at_every_grid_point(
    case: tuple[Model, np.ndarray, np.ndarray],
) -> None:
    model, x, y = case
    data = Dataset(x, y)
    quadratic = model.quadratic(data)
    centre = quadratic.optimum
    w_axis = np.linspace(centre[0] - 3.0, centre[0] + 2.0, 7)
    if model is ORIGIN:
        grids: tuple[np.ndarray, ...] = (w_axis,)
    else:
        grids = tuple(np.meshgrid(w_axis, np.linspace(centre[1] - 1.0, centre[1] + 4.0, 5)))
    values = quadratic.cost_grid(*grids)
    assert values.shape == grids[0].shape
    assert np.array_equal(values, model.cost_grid(data, *grids))
    for index in np.ndindex(values.shape):
        params = [float(g[index]) for g in grids]
        expected = model.cost(params, x, y)
        assert math.isclose(
            values[index], expected, rel_tol=1e-12, abs_tol=1e-12 * _term_scale(x, y, params)
        )


def test_quadratic_of_two_million_points_is_exact_and_keeps_no_points() -> None:
    rng = np.random.default_rng(11)
    n = 2_000_000
    x = rng.normal(3.0, 2.0, n)
    y = -1.25 * x + 4.0 + rng.normal(0.0, 0.5, n)
    data = Dataset(x, y)
    for model, trials in [
        (ORIGIN, [[0.0], [-1.25], [10.0]]),
        (LINE, [[0.0, 0.0], [-1.25, 4.0], [3.0, -7.0]]),
    ]:
        quadratic = model.quadratic(data)
        # O(1) afterwards: the form holds a few numbers, not the two million points.
        assert len(pickle.dumps(quadratic)) < 10_000
        for params in [*trials, list(quadratic.optimum)]:
            cost, grad = quadratic.evaluate(params)
            expected_cost, expected_grad = model.cost_and_gradient(params, x, y)
            assert math.isclose(cost, expected_cost, rel_tol=1e-11)
            np.testing.assert_allclose(
                grad,
                expected_grad,
                rtol=1e-11,
                atol=1e-11 * float(_grad_scales(x, y, params).max()),
            )
