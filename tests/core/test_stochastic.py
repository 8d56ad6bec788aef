"""Stochastic and mini-batch runs: the SGD lesson to the bit, per-update rows, batch sums."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from gd_viewer.core import Dataset, LineModel, Model, OriginModel, Run, RunSettings, Status
from gd_viewer.core.batches import BatchGradients
from gd_viewer.core.descent import MAX_UPDATE_ROWS
from tests.core import tutorial_oracle as oracle
from tests.core.runs import finished, snapshot
from tests.core.strategies import SLOW, point_lists

TUTORIAL = Dataset.tutorial()
XS, YS = [1.0, 2.0, 3.0], [2.0, 4.0, 6.0]


# ------------------------------------------------------------------ the SGD lesson


def test_sgd_in_order_reproduces_the_sgd_lesson_bit_for_bit() -> None:
    run = finished(TUTORIAL, optimizer="sgd", lr=0.01, epochs=100)
    lesson = oracle.sgd_lesson(XS, YS, 1.0, 0.01, 100)
    h = run.history
    assert run.status is Status.FINISHED
    # Epoch ends.
    assert h.params[1:, 0].tolist() == [after[-1] for after in lesson]
    # Every single update.
    assert h.update_params[1:, 0].tolist() == [w for after in lesson for w in after]
    # The epoch rows' costs are the tutorial's full-batch cost at those w.
    assert h.cost.tolist() == [oracle.cost_origin(XS, YS, w) for w in h.params[:, 0]]
    assert h.grad[:, 0].tolist() == [oracle.gradient_origin(XS, YS, w) for w in h.params[:, 0]]


@SLOW
@given(data=st.data())
def test_sgd_in_order_equals_the_sgd_lesson_bit_for_bit_on_random_data(
    data: st.DataObject,
) -> None:
    xs, ys = data.draw(point_lists(max_points=1024, bound=1e3))
    biggest = max(x * x for x in xs)
    lr = data.draw(st.floats(0.01, 0.9)) / (2.0 * (biggest + 1.0))  # each update contracts
    w0 = data.draw(st.floats(-100, 100))
    epochs = data.draw(st.integers(1, 4))
    run = finished(Dataset(xs, ys), optimizer="sgd", lr=lr, w0=w0, epochs=epochs)
    lesson = oracle.sgd_lesson(xs, ys, w0, lr, epochs)
    assert run.history.params[:, 0].tolist() == [w0] + [after[-1] for after in lesson]
    assert run.history.update_params[1:, 0].tolist() == [w for after in lesson for w in after]


def test_sgd_first_updates_by_hand() -> None:
    run = Run(TUTORIAL, RunSettings(optimizer="sgd", lr=0.01, epochs=1))
    run.advance()
    w1 = 1.0 - 0.01 * (2 * 1.0 * (1.0 * 1.0 - 2.0))  # 1.02
    w2 = w1 - 0.01 * (2 * 2.0 * (2.0 * w1 - 4.0))
    w3 = w2 - 0.01 * (2 * 3.0 * (3.0 * w2 - 6.0))
    assert run.history.update_params[:, 0].tolist() == [1.0, w1, w2, w3]
    assert w1 == 1.02


@pytest.mark.parametrize("model", ["origin", "line"])
@SLOW
@given(data=st.data())
def test_minibatch_in_order_equals_the_loop_bit_for_bit_on_random_data(
    model: str, data: st.DataObject
) -> None:
    xs, ys = data.draw(point_lists(max_points=300, bound=1e3))
    batch = data.draw(st.integers(1, len(xs) + 2))
    biggest = max(x * x for x in xs)
    lr = data.draw(st.floats(0.01, 0.9)) / (2.0 * (biggest + 1.0))  # stable for any batch
    epochs = data.draw(st.integers(1, 6))
    settings = RunSettings(model=model, optimizer="minibatch", batch_size=batch, lr=lr,
                           epochs=epochs, w0=0.5, b0=-0.25)  # fmt: skip
    run = finished(Dataset(xs, ys), **settings.to_dict())
    expected = oracle.minibatch_lesson(xs, ys, settings.initial_params, lr, epochs, batch)
    flat = [p for after in expected for p in after]
    assert run.history.update_params[1:].tolist() == flat
    assert run.history.params[1:].tolist() == [after[-1] for after in expected]
    assert run.history.cost.tolist() == [
        oracle.cost(xs, ys, p) for p in run.history.params.tolist()
    ]


def test_momentum_with_batch_size_one_updates_point_by_point() -> None:
    run = finished(TUTORIAL, optimizer="momentum", batch_size=1, momentum=0.5, lr=0.01, epochs=3)
    w, b, path = 1.0, None, []
    for _ in range(3):
        for x, y in zip(XS, YS, strict=True):
            g = 2 * x * (x * w - y)
            b = g if b is None else 0.5 * b + g
            w = w - 0.01 * b
            path.append(w)
    assert run.history.update_params[1:, 0].tolist() == path


# ------------------------------------------------------------------ per-update rows


@pytest.mark.parametrize(
    ("n", "settings", "per_epoch"),
    [
        (3, {"optimizer": "sgd"}, 3),
        (10, {"optimizer": "minibatch", "batch_size": 4}, 3),
        (10, {"optimizer": "minibatch", "batch_size": 5, "shuffle": True}, 2),
        (7, {"optimizer": "adam", "batch_size": 7}, 1),
        (2000, {"optimizer": "minibatch", "batch_size": 300, "shuffle": True}, 7),
    ],
)
def test_update_rows_record_every_update(
    n: int, settings: dict[str, object], per_epoch: int
) -> None:
    rng = np.random.default_rng(n)
    x = rng.uniform(-1.0, 1.0, n)
    data = Dataset(x, 2.0 * x + rng.normal(0.0, 0.1, n))
    epochs = 6
    run = finished(data, epochs=epochs, lr=0.05, **settings)
    h = run.history
    assert run.status is Status.FINISHED
    assert len(h.update_position) == len(h.update_params) == len(h.update_cost)
    assert len(h.update_position) == 1 + epochs * per_epoch
    assert h.update_position[0] == 0.0
    assert h.update_params[0].tolist() == list(run.settings.initial_params)
    assert (np.diff(h.update_position) > 0).all()
    for k in range(epochs):
        end = (k + 1) * per_epoch
        assert h.update_position[end] == k + 1
        assert h.update_params[end].tolist() == h.params[k + 1].tolist()
        expected = [k + j / per_epoch for j in range(1, per_epoch + 1)]
        np.testing.assert_allclose(h.update_position[end - per_epoch + 1 : end + 1], expected)
    model = run.model
    for params, cost in zip(h.update_params, h.update_cost, strict=True):
        assert math.isclose(cost, model.cost(params.tolist(), data.x, data.y), rel_tol=1e-9)


def test_long_stochastic_run_keeps_a_bounded_evenly_thinned_path() -> None:
    data = _large(2000, 5)
    epochs = 501  # 1,002,000 updates: more than MAX_UPDATE_ROWS
    run = finished(data, optimizer="sgd", lr=1e-4, epochs=epochs)
    h = run.history
    assert run.status is Status.FINISHED
    assert len(h.update_position) <= MAX_UPDATE_ROWS + 2
    assert len(h.update_position) > MAX_UPDATE_ROWS // 2
    steps = np.diff(h.update_position)
    assert (steps > 0).all()
    np.testing.assert_allclose(steps, steps[0], rtol=1e-9)  # every s-th update, s fixed
    assert h.update_position[-1] == epochs
    assert h.update_params[-1].tolist() == h.params[-1].tolist()


def test_full_batch_runs_record_no_update_rows() -> None:
    run = finished(TUTORIAL, optimizer="adam", epochs=5)
    assert len(run.history.update_params) == 0


# ------------------------------------------------------------------ shuffling


def _shuffled(seed: int, n: int = 40) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(0)
    x = rng.normal(0.0, 1.0, n)
    data = Dataset(x, 3.0 * x + rng.normal(0.0, 0.5, n))
    return snapshot(finished(data, optimizer="sgd", shuffle=True, seed=seed, lr=0.02, epochs=20))


def test_same_seed_same_path_different_seed_different_path() -> None:
    a, b, c = _shuffled(3), _shuffled(3), _shuffled(4)
    for name in a:
        assert a[name].tobytes() == b[name].tobytes(), name
    assert not np.array_equal(a["update_params"], c["update_params"])


def test_shuffled_sgd_differs_from_in_order_sgd_but_visits_every_point() -> None:
    data = Dataset([1.0, 2.0, 3.0, 4.0], [2.5, 3.5, 7.0, 7.5])
    ordered = finished(data, optimizer="sgd", lr=0.01, epochs=5)
    shuffled = finished(data, optimizer="sgd", shuffle=True, seed=1, lr=0.01, epochs=5)
    assert not np.array_equal(ordered.history.update_params, shuffled.history.update_params)
    # Each update of the shuffled run is one point's gradient step: w' = w − lr·2x(xw − y)
    # for some point, and every point is used exactly once per epoch.
    path = shuffled.history.update_params[:, 0].tolist()
    for k in range(5):
        used = []
        for j in range(4):
            w, after = path[4 * k + j], path[4 * k + j + 1]
            matches = [
                i for i, (x, y) in enumerate(zip(data.x.tolist(), data.y.tolist(), strict=True))
                if w - 0.01 * (2 * x * (x * w - y)) == after
            ]  # fmt: skip
            assert len(matches) >= 1
            used.append(matches[0])
        assert sorted(used) == [0, 1, 2, 3]


# ------------------------------------------------------------------ large data: batch sums


def _large(n: int, seed: int) -> Dataset:
    rng = np.random.default_rng(seed)
    x = rng.normal(1.5, 2.0, n)
    return Dataset(x, -0.8 * x + 3.0 + rng.normal(0.0, 1.0, n))


def _batch_scale(params: list[float], x: np.ndarray, y: np.ndarray) -> float:
    b = abs(params[1]) if len(params) == 2 else 0.0
    size = np.abs(x * params[0]) + b + np.abs(y)
    return float(max(np.mean(2 * np.abs(x) * size), np.mean(2 * size)))


@pytest.mark.parametrize("model", [OriginModel(), LineModel()], ids=["origin", "line"])
@pytest.mark.parametrize("batch_size", [7, 64, 1])
def test_summed_batch_gradients_equal_per_point_gradients_in_order(
    model: Model, batch_size: int
) -> None:
    data = _large(3001, 1)  # 3001 = 428·7 + 5 = 46·64 + 57: a last, partial batch
    gradients = BatchGradients(
        model, data, model.quadratic(data), batch_size, shuffle=False, seed=0, per_point=False
    )
    assert gradients.count == math.ceil(3001 / batch_size)
    for params in ([0.3, -1.0], [-0.8, 3.0], [*model.quadratic(data).optimum, 0.0]):
        p = params[: model.n_params]
        got = np.array(list(gradients.epoch(p)))
        assert len(got) == gradients.count
        expected, scales = [], []
        for j in range(gradients.count):
            xb = data.x[j * batch_size : (j + 1) * batch_size]
            yb = data.y[j * batch_size : (j + 1) * batch_size]
            expected.append(model.gradient(p, xb, yb))
            scales.append(_batch_scale(p, xb, yb))
        error = np.abs(got - np.array(expected))
        allowed = 1e-10 * np.abs(np.array(expected)) + 1e-10 * np.array(scales)[:, None]
        assert (error <= allowed).all(), float((error / allowed).max())


@pytest.mark.parametrize("model", [OriginModel(), LineModel()], ids=["origin", "line"])
@pytest.mark.parametrize("batch_size", [7, 100])
def test_summed_batch_gradients_equal_per_point_gradients_shuffled(
    model: Model, batch_size: int
) -> None:
    data = _large(2503, 2)
    quadratic = model.quadratic(data)
    summed = BatchGradients(
        model, data, quadratic, batch_size, shuffle=True, seed=9, per_point=False
    )
    pointwise = BatchGradients(
        model, data, quadratic, batch_size, shuffle=True, seed=9, per_point=True
    )
    p = [0.4, 1.0][: model.n_params]
    full = model.gradient(p, data.x, data.y)
    epochs = []
    for _ in range(2):
        got = list(summed.epoch(p))
        want = list(pointwise.epoch(p))
        assert len(got) == len(want) == math.ceil(2503 / batch_size)
        np.testing.assert_allclose(
            got, want, rtol=1e-10, atol=1e-10 * _batch_scale(p, data.x, data.y)
        )
        # Every point once per epoch: the size-weighted batch gradients add up to the full one.
        sizes = [batch_size] * (len(got) - 1) + [2503 - batch_size * (len(got) - 1)]
        total = np.sum(np.asarray(got) * np.asarray(sizes)[:, None], axis=0) / 2503
        np.testing.assert_allclose(total, full, rtol=1e-9, atol=1e-10 * abs(full[0]))
        epochs.append(np.asarray(got))
    assert not np.array_equal(epochs[0], epochs[1])  # a fresh order each epoch


def test_batch_gradients_read_the_parameters_anew_for_each_batch() -> None:
    model = OriginModel()
    data = _large(2000, 3)
    for per_point in (False, True):
        gradients = BatchGradients(
            model, data, model.quadratic(data), 500, shuffle=False, seed=0, per_point=per_point
        )
        params = [0.0]
        seen = []
        for j, g in enumerate(gradients.epoch(params)):
            seen.append(g[0])
            params[0] = float(j + 1)  # what a step rule does between batches
        for j, g in enumerate(seen):
            xb, yb = data.x[500 * j : 500 * (j + 1)], data.y[500 * j : 500 * (j + 1)]
            assert math.isclose(g, model.gradient([float(j)], xb, yb)[0], rel_tol=1e-10)


def test_large_in_order_minibatch_run_follows_a_per_point_loop() -> None:
    data = _large(2050, 4)
    x, y = data.x, data.y
    run = finished(data, model="line", optimizer="minibatch", batch_size=100, lr=0.01, epochs=5)
    assert not run.exact
    w, b = 1.0, 0.0
    expected = []
    for _ in range(5):
        for s in range(0, 2050, 100):
            r = x[s : s + 100] * w + b - y[s : s + 100]
            gw, gb = np.mean(2 * x[s : s + 100] * r), np.mean(2 * r)
            w, b = w - 0.01 * gw, b - 0.01 * gb
            expected.append([w, b])
    np.testing.assert_allclose(run.history.update_params[1:], expected, rtol=1e-10, atol=1e-12)


# ------------------------------------------------------------------ divergence


@pytest.mark.parametrize(
    ("n", "settings"),
    [
        (3, {"optimizer": "sgd", "lr": 1.0}),
        (3, {"optimizer": "sgd", "lr": 1000.0}),
        (3, {"optimizer": "minibatch", "batch_size": 2, "lr": 100.0}),
        (3000, {"optimizer": "sgd", "lr": 10.0}),
        (3000, {"model": "line", "optimizer": "minibatch", "batch_size": 16, "lr": 50.0}),
    ],
)
def test_diverging_stochastic_run_records_only_finite_values(
    n: int, settings: dict[str, object]
) -> None:
    rng = np.random.default_rng(0)
    x = np.array(XS) if n == 3 else rng.normal(0.0, 1.0, n)
    run = finished(Dataset(x, 2.0 * x), epochs=2000, **settings)
    assert run.status is Status.DIVERGED
    assert "diverged" in run.reason
    for name, values in snapshot(run).items():
        assert np.isfinite(values).all(), name


def test_cost_overflowing_in_the_middle_of_an_epoch_is_reported_as_divergence() -> None:
    # lr = 2: each point at x = 1000 multiplies w by about −4·10⁶, and the last point
    # (x = 0.5, so 1 − 2·lr·x² = 0) sends w back near 0. After the 30th update w is
    # about 10¹⁹⁸ and the cost overflows, yet the epoch ends with a small cost.
    xs, ys = [1000.0] * 30 + [0.5], [0.0] * 30 + [1.0]
    run = finished(Dataset(xs, ys), optimizer="sgd", lr=2.0, epochs=3)
    h = run.history
    for name, values in snapshot(run).items():
        assert np.isfinite(values).all(), name
    # Either the run stops and says why, or it records every update of every epoch
    # it completed; silently dropping the rest of an epoch's path is neither.
    assert run.status is Status.DIVERGED, (run.status, h.update_position[-3:].tolist())
    assert "diverged" in run.reason
