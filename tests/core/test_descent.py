"""Runs: the tutorial's printout to the bit, the History, stepping, rewinding, divergence."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from gd_viewer.core import Dataset, EpochRecord, Run, RunSettings, Status
from gd_viewer.core.descent import EXACT_MAX_POINTS
from tests.core import tutorial_oracle as oracle
from tests.core.runs import finished, snapshot
from tests.core.strategies import SLOW, point_lists

TUTORIAL = Dataset.tutorial()


def _assert_same_history(a: dict[str, np.ndarray], b: dict[str, np.ndarray]) -> None:
    for name in a:
        assert a[name].shape == b[name].shape, name
        assert a[name].tobytes() == b[name].tobytes(), name


def _all_finite(run: Run) -> bool:
    return all(bool(np.isfinite(values).all()) for values in snapshot(run).values())


# ------------------------------------------------------------------ the tutorial


def test_tutorial_first_step_by_hand() -> None:
    run = Run(TUTORIAL)
    run.advance(1)
    assert run.history.params[1, 0] == 1 + 0.01 * 28 / 3
    assert run.history.cost[0] == 14 / 3


def test_tutorial_oracle_ends_at_the_printed_w() -> None:
    printed = oracle.tutorial_printout()
    assert printed[-1][0] == 99
    assert printed[-1][1] == 1.9999444396553017  # the tutorial printout's last w


def test_run_reproduces_tutorial_printout_bit_for_bit() -> None:
    printed = oracle.tutorial_printout()
    run = finished(TUTORIAL)
    assert run.status is Status.FINISHED
    assert len(run.history) == 101 and run.epochs_done == 100
    h = run.history
    for epoch, w, loss in printed:
        assert h.params[epoch + 1, 0] == w, epoch  # w printed on line `epoch`
        assert h.cost[epoch] == loss, epoch  # its loss: the cost before that update
    rows = oracle.full_batch_rows([1.0, 2.0, 3.0], [2.0, 4.0, 6.0], [1.0], 0.01, 100)
    assert h.params[:, 0].tolist() == [p[0] for p in rows.params]
    assert h.cost.tolist() == rows.cost
    assert h.grad[:, 0].tolist() == [g[0] for g in rows.grad]
    assert run.params == (1.9999444396553017,)


def test_run_without_settings_uses_the_tutorials() -> None:
    run = Run(TUTORIAL)
    assert run.settings == RunSettings()
    run.run_to_end()
    assert run.params[0] == oracle.tutorial_printout()[-1][1]


# ------------------------------------------------------------------ bit for bit on random data


@st.composite
def small_runs(draw: st.DrawFn, model: str) -> tuple[list[float], list[float], RunSettings]:
    xs, ys = draw(point_lists(max_points=EXACT_MAX_POINTS, bound=1e3))
    mean_xx = sum(x * x for x in xs) / len(xs)
    # Below 2/λmax (λmax ≤ 2·(mean x² + 1)), so nothing overflows in the oracle's ** 2.
    fraction = draw(st.floats(0.01, 1.9))
    settings = RunSettings(
        model=model,
        lr=fraction / (2.0 * (mean_xx + 1.0)),
        epochs=draw(st.integers(0, 12)),
        w0=draw(st.floats(-100, 100)),
        b0=draw(st.floats(-100, 100)),
    )
    return xs, ys, settings


@pytest.mark.parametrize("model", ["origin", "line"])
@SLOW
@given(data=st.data())
def test_run_equals_tutorial_loop_bit_for_bit_on_random_data(
    model: str, data: st.DataObject
) -> None:
    xs, ys, settings = data.draw(small_runs(model))
    run = Run(Dataset(xs, ys), settings)
    run.run_to_end()
    rows = oracle.full_batch_rows(xs, ys, settings.initial_params, settings.lr, settings.epochs)
    assert run.status is Status.FINISHED
    assert run.history.params.tolist() == rows.params
    assert run.history.grad.tolist() == rows.grad
    assert run.history.cost.tolist() == rows.cost


@pytest.mark.parametrize(("nesterov", "optimizer"), [(False, "momentum"), (True, "nesterov")])
def test_momentum_run_follows_torchs_documented_formula(nesterov: bool, optimizer: str) -> None:
    run = finished(TUTORIAL, optimizer=optimizer, momentum=0.8, lr=0.01, epochs=60)
    expected = oracle.momentum_full_batch(
        [1.0, 2.0, 3.0], [2.0, 4.0, 6.0], 1.0, 0.01, 0.8, 60, nesterov=nesterov
    )
    assert run.history.params[:, 0].tolist() == expected


def test_adam_run_follows_torchs_documented_formula() -> None:
    run = finished(TUTORIAL, optimizer="adam", lr=0.05, epochs=80)
    expected = oracle.adam_full_batch([1.0, 2.0, 3.0], [2.0, 4.0, 6.0], 1.0, 0.05, 80)
    np.testing.assert_allclose(run.history.params[:, 0], expected, rtol=1e-12)


# ------------------------------------------------------------------ large data: the quadratic form


def _numpy_reference(
    x: np.ndarray, y: np.ndarray, params: list[float], lr: float, epochs: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per-point full-batch descent in numpy (an independent second implementation)."""
    line = len(params) == 2
    p = np.array(params, dtype=np.float64)
    ps, costs, grads = [], [], []
    for _ in range(epochs + 1):
        r = x * p[0] + (p[1] if line else 0.0) - y
        g = np.array([np.mean(2 * x * r), np.mean(2 * r)][: len(params)])
        ps.append(p.copy())
        costs.append(np.mean(r * r))
        grads.append(g)
        p = p - lr * g
    return np.array(ps), np.array(costs), np.array(grads)


@pytest.mark.parametrize(
    ("model", "offset", "lr"),
    [("origin", 0.0, 0.05), ("origin", 3.0, 0.01), ("line", 0.0, 0.05), ("line", 2.0, 0.02)],
)
def test_large_run_follows_the_per_point_trajectory(model: str, offset: float, lr: float) -> None:
    rng = np.random.default_rng(2024)
    n = 5000
    x = rng.uniform(-3.0, 5.0, n) + offset
    y = 1.5 * x - 0.7 + rng.normal(0.0, 0.3, n)
    settings = RunSettings(model=model, lr=lr, epochs=100, w0=-1.0, b0=2.0)
    run = Run(Dataset(x, y), settings)
    assert not run.exact  # > EXACT_MAX_POINTS: the O(1) quadratic form
    run.run_to_end()
    params, costs, grads = _numpy_reference(x, y, list(settings.initial_params), lr, 100)
    np.testing.assert_allclose(run.history.params, params, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(run.history.cost, costs, rtol=1e-10)
    grad_scale = float(np.abs(grads).max())
    np.testing.assert_allclose(run.history.grad, grads, rtol=1e-9, atol=1e-10 * grad_scale)


def test_exactness_switches_at_1024_points() -> None:
    assert EXACT_MAX_POINTS == 1024
    x = np.linspace(-1, 1, 1024)
    assert Run(Dataset(x, x)).exact
    x = np.linspace(-1, 1, 1025)
    assert not Run(Dataset(x, x)).exact


# ------------------------------------------------------------------ History


def test_history_rows_hold_the_state_at_the_start_of_each_epoch() -> None:
    run = finished(TUTORIAL, lr=0.05, epochs=5)
    h = run.history
    assert len(h) == 6 and h.epochs == 5
    assert h.params.shape == (6, 1) and h.cost.shape == (6,) and h.grad.shape == (6, 1)
    xs, ys = [1.0, 2.0, 3.0], [2.0, 4.0, 6.0]
    for k in range(6):
        w = h.params[k, 0]
        assert h.cost[k] == oracle.cost_origin(xs, ys, w)
        assert h.grad[k, 0] == oracle.gradient_origin(xs, ys, w)
    for k in range(5):
        assert h.params[k + 1, 0] == h.params[k, 0] - 0.05 * h.grad[k, 0]


def test_history_indexing_gives_epoch_records() -> None:
    run = finished(TUTORIAL, model="line", lr=0.05, epochs=4)
    h = run.history
    record = h[2]
    assert isinstance(record, EpochRecord)
    assert record.epoch == 2
    assert record.params == tuple(h.params[2].tolist())
    assert record.cost == h.cost[2]
    assert record.grad == tuple(h.grad[2].tolist())
    assert h[-1] == h[4] and h[-1].epoch == 4
    assert h[-5] == h[0] and h[0].params == (1.0, 0.0)
    for bad in (5, 100, -6):
        with pytest.raises(IndexError):
            h[bad]


def test_history_arrays_are_read_only() -> None:
    run = finished(TUTORIAL, epochs=3)
    with pytest.raises(ValueError):
        run.history.params[0, 0] = 5.0
    with pytest.raises(ValueError):
        run.history.cost[0] = 5.0


def test_zero_epochs_is_finished_at_once_with_one_row() -> None:
    run = Run(TUTORIAL, RunSettings(epochs=0))
    assert run.status is Status.FINISHED and run.finished
    assert len(run.history) == 1
    assert run.history[0] == EpochRecord(0, (1.0,), 14 / 3, (-28 / 3,))
    assert run.advance(5) == 0
    assert len(run.history) == 1


# ------------------------------------------------------------------ stepping and rewinding


def test_advance_returns_epochs_done_and_stops_at_the_end() -> None:
    run = Run(TUTORIAL, RunSettings(epochs=10))
    assert run.status is Status.RUNNING and not run.finished
    assert run.advance() == 1 and run.epochs_done == 1
    assert run.advance(4) == 4 and run.epochs_done == 5
    assert run.status is Status.RUNNING
    assert run.advance(25) == 5 and run.epochs_done == 10
    assert run.status is Status.FINISHED and run.finished
    assert run.advance(3) == 0 and len(run.history) == 11
    assert run.reason == ""
    assert run.params == tuple(run.history.params[-1].tolist())


@pytest.mark.parametrize(
    ("n", "settings"),
    [
        (3, {"epochs": 100}),
        (3, {"model": "line", "optimizer": "adam", "lr": 0.1, "epochs": 60}),
        (3000, {"model": "line", "optimizer": "momentum", "lr": 0.02, "epochs": 60}),
        (50, {"optimizer": "minibatch", "batch_size": 8, "shuffle": True, "seed": 4, "epochs": 60}),
        (3000, {"optimizer": "sgd", "shuffle": True, "seed": 1, "lr": 1e-3, "epochs": 40}),
    ],
)
def test_advancing_in_pieces_equals_running_to_the_end(n: int, settings: dict[str, object]) -> None:
    rng = np.random.default_rng(n)
    x = np.array([1.0, 2.0, 3.0]) if n == 3 else rng.normal(0.0, 1.0, n)
    y = 2.0 * x + (0.0 if n == 3 else rng.normal(0.0, 0.1, n))
    data = Dataset(x, y)
    whole = Run(data, RunSettings(**settings))  # type: ignore[arg-type]
    whole.run_to_end()
    pieces = Run(data, RunSettings(**settings))  # type: ignore[arg-type]
    epochs = int(settings["epochs"])  # type: ignore[call-overload]
    done = [pieces.advance(k) for k in (1, 7, 30, epochs)]
    assert done == [1, 7, 30, epochs - 38]
    assert pieces.status is whole.status is Status.FINISHED
    _assert_same_history(snapshot(pieces), snapshot(whole))


@pytest.mark.parametrize(
    "settings",
    [
        {"epochs": 50},
        {"model": "line", "optimizer": "rmsprop", "lr": 0.05, "epochs": 50},
        {"optimizer": "sgd", "shuffle": True, "seed": 7, "epochs": 50},
        {"model": "line", "optimizer": "adagrad", "batch_size": 2, "shuffle": True, "lr": 0.3},
    ],
)
def test_reset_returns_to_row_zero_and_replays_identically(settings: dict[str, object]) -> None:
    data = Dataset([1.0, 2.0, 3.0, 4.5, -1.0], [2.0, 4.1, 5.9, 9.0, -2.2])
    run = Run(data, RunSettings(**settings))  # type: ignore[arg-type]
    run.run_to_end()
    first = snapshot(run)
    run.reset()
    assert run.status is Status.RUNNING
    assert len(run.history) == 1 and run.epochs_done == 0
    assert run.params == run.settings.initial_params
    assert run.history[0].params == run.settings.initial_params
    run.advance(3)
    run.run_to_end()
    _assert_same_history(snapshot(run), first)


# ------------------------------------------------------------------ divergence


def test_lr_1_on_the_tutorial_diverges_with_a_reason() -> None:
    run = finished(TUTORIAL, lr=1.0, epochs=1000)
    assert run.status is Status.DIVERGED and run.finished
    assert "diverged" in run.reason
    assert "0.2143" in run.reason  # the stable limit 3/14
    assert 0 < len(run.history) < 1001
    assert _all_finite(run)
    assert run.params == tuple(run.history.params[-1].tolist())
    assert run.advance(10) == 0 and run.status is Status.DIVERGED


def test_lr_just_below_the_stable_limit_converges() -> None:
    lr = 0.99 * 3 / 14
    run = finished(TUTORIAL, lr=lr, epochs=3000)
    assert run.status is Status.FINISHED
    error = np.abs(run.history.params[:, 0] - 2.0)
    shrinking = error[error > 1e-12]
    assert (np.diff(shrinking) < 0).all()
    cost = run.history.cost[error > 1e-12]
    assert (np.diff(cost) < 0).all()
    assert error[-1] <= 1e-9
    assert _all_finite(run)


def test_lr_just_above_the_stable_limit_diverges_and_says_so() -> None:
    lr = 1.01 * 3 / 14
    run = finished(TUTORIAL, lr=lr, epochs=20_000)
    assert run.status is Status.DIVERGED
    assert run.epochs_done < 20_000
    assert "diverged" in run.reason and "0.2143" in run.reason
    assert _all_finite(run)
    error = np.abs(run.history.params[:, 0] - 2.0)
    assert (np.diff(error) > 0).all()


def test_line_model_diverges_above_its_stable_limit() -> None:
    limit = 12 / (34 + math.sqrt(1060))  # 2/λmax of 2·[[14/3, 2], [2, 1]]
    run = finished(TUTORIAL, model="line", lr=1.5 * limit, epochs=5000)
    assert run.status is Status.DIVERGED
    assert "diverged" in run.reason and f"{limit:.4g}" in run.reason
    assert _all_finite(run)
    converging = finished(TUTORIAL, model="line", lr=0.95 * limit, epochs=5000)
    assert converging.status is Status.FINISHED
    np.testing.assert_allclose(converging.params, (2.0, 0.0), atol=1e-9)


@pytest.mark.parametrize("optimizer", ["momentum", "nesterov"])
def test_momentum_with_large_lr_diverges(optimizer: str) -> None:
    run = finished(TUTORIAL, optimizer=optimizer, lr=1.0, epochs=2000)
    assert run.status is Status.DIVERGED and "diverged" in run.reason
    assert _all_finite(run)


@pytest.mark.parametrize("model", ["origin", "line"])
@pytest.mark.parametrize("optimizer", ["gd", "momentum", "nesterov", "adagrad", "rmsprop", "adam"])
@pytest.mark.parametrize("n", [3, 2000])
def test_huge_lr_diverges_without_exception_or_non_finite_values(
    model: str, optimizer: str, n: int
) -> None:
    x = np.linspace(1e60, 3e60, n)
    run = finished(Dataset(x, 2.0 * x), model=model, optimizer=optimizer, lr=1e100, epochs=50)
    assert run.status is Status.DIVERGED
    assert "diverged" in run.reason
    assert len(run.history) >= 1
    assert _all_finite(run)


@pytest.mark.parametrize("n", [1, 3, 2000])
@pytest.mark.parametrize("model", ["origin", "line"])
def test_start_whose_cost_overflows_is_diverged_at_epoch_0(n: int, model: str) -> None:
    x = np.full(n, 1e100)
    run = Run(Dataset(x, np.zeros(n)), RunSettings(model=model, w0=1e100))
    assert run.status is Status.DIVERGED
    assert "diverged" in run.reason and "epoch 0" in run.reason
    assert run.epochs_done == 0
    assert _all_finite(run)
    assert run.advance(10) == 0
    run.run_to_end()
    assert run.status is Status.DIVERGED
