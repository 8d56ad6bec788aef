"""Stopping rules (small gradient, settled cost) and the distance to the optimum per epoch."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from gd_viewer.core import (
    OPTIMIZERS,
    STOP_RULES,
    Analysis,
    Dataset,
    Run,
    RunSettings,
    SettingsError,
    Status,
)
from gd_viewer.core.settings import DEFAULT_TOLERANCE
from tests.core import tutorial_oracle as oracle
from tests.core.runs import finished, snapshot
from tests.core.strategies import SLOW

TUTORIAL = Dataset.tutorial()
XS, YS = [1.0, 2.0, 3.0], [2.0, 4.0, 6.0]


# ------------------------------------------------------------------ oracles


def oracle_stop(
    xs: list[float],
    ys: list[float],
    params: list[float],
    lr: float,
    epochs: int,
    stop: str,
    tolerance: float,
) -> oracle.Rows:
    """The tutorial's loop with the stopping rule written out: the rows up to the stop."""
    p = list(params)
    rows = oracle.Rows([], [], [])
    for epoch in range(epochs + 1):
        cost_val = oracle.cost(xs, ys, p)
        grad_val = oracle.gradient(xs, ys, p)
        rows.params.append(list(p))
        rows.cost.append(cost_val)
        rows.grad.append(grad_val)
        if epoch == epochs:
            break
        if stop == "gradient" and math.sqrt(sum(g * g for g in grad_val)) <= tolerance:
            break
        if stop == "cost_change" and epoch >= 1 and abs(rows.cost[-1] - rows.cost[-2]) <= tolerance:
            break
        for i, g in enumerate(grad_val):
            p[i] -= lr * g
    return rows


def first_stop(cost: np.ndarray, grad: np.ndarray, stop: str, tolerance: float) -> int | None:
    """The first row of a complete History at which ``stop`` holds (None if none)."""
    for k in range(len(cost)):
        if stop == "gradient" and math.hypot(*grad[k]) <= tolerance:
            return k
        if stop == "cost_change" and k >= 1 and abs(cost[k] - cost[k - 1]) <= tolerance:
            return k
    return None


def assert_rows_equal(run: Run, rows: oracle.Rows) -> None:
    h = run.history
    assert h.params.tolist() == rows.params
    assert h.cost.tolist() == rows.cost
    assert h.grad.tolist() == rows.grad


# ------------------------------------------------------------------ the gradient rule


@pytest.mark.parametrize("tolerance", [1.0, 1e-2, 1e-4, 1e-6, 1e-9, 1e-12])
def test_gradient_rule_stops_at_the_tutorials_first_small_gradient(tolerance: float) -> None:
    rows = oracle_stop(XS, YS, [1.0], 0.01, 10_000, "gradient", tolerance)
    k = len(rows.cost) - 1
    assert 0 < k < 10_000  # the rule, not the cap, ended the oracle
    assert abs(rows.grad[k][0]) <= tolerance < abs(rows.grad[k - 1][0])

    run = finished(TUTORIAL, epochs=10_000, stop="gradient", tolerance=tolerance)
    assert run.status is Status.FINISHED and run.finished
    assert run.epochs_done == k and len(run.history) == k + 1
    assert run.stopped_early
    assert_rows_equal(run, rows)
    assert run.params == tuple(rows.params[-1])
    assert re.fullmatch(
        rf"\|gradient\| = \S+ ≤ tolerance {tolerance:g} at epoch {k}", run.reason
    ), run.reason
    assert float(run.reason.split()[2]) == pytest.approx(abs(rows.grad[k][0]), rel=5e-3)


def test_gradient_rule_on_the_tutorial_by_hand() -> None:
    # |grad_k| = (28/3)·|w_k − 2| and w_k − 2 = −(1 − 0.28/3)^k: the first k with
    # (28/3)·(1 − 0.28/3)^k ≤ 1e-6 is ceil(log(3e-6/28) / log(1 − 0.28/3)) = 164.
    expected = math.ceil(math.log(1e-6 / (28 / 3)) / math.log(1 - 0.28 / 3))
    run = finished(TUTORIAL, epochs=1000, stop="gradient", tolerance=1e-6)
    assert run.epochs_done == expected == 164
    assert run.reason.endswith("≤ tolerance 1e-06 at epoch 164")


def test_gradient_rule_holding_at_the_start_takes_no_step() -> None:
    run = Run(TUTORIAL, RunSettings(w0=2.0, stop="gradient", epochs=50))
    assert run.status is Status.FINISHED and run.finished
    assert run.epochs_done == 0 and len(run.history) == 1
    assert run.advance(10) == 0
    assert run.history.params.tolist() == [[2.0]]
    assert run.reason == "|gradient| = 0 ≤ tolerance 1e-06 at epoch 0"
    assert run.stopped_early


def test_a_gradient_exactly_at_the_tolerance_stops() -> None:
    # y = 0 at x = 1: gradient 2w, exact in binary; w0 = 0.5 gives exactly 1.0.
    run = finished(Dataset([1.0], [0.0]), w0=0.5, epochs=10, stop="gradient", tolerance=1.0)
    assert run.epochs_done == 0
    assert run.reason == "|gradient| = 1 ≤ tolerance 1 at epoch 0"
    below = finished(Dataset([1.0], [0.0]), w0=0.5, epochs=10, stop="gradient", tolerance=0.99)
    assert below.epochs_done == 1  # w1 = 0.5 − 0.01·1 = 0.49, gradient 0.98


# ------------------------------------------------------------------ the cost-change rule


def test_a_cost_change_exactly_at_the_tolerance_stops() -> None:
    # cost = w², lr = 0.25 halves w: costs 1, 0.25, 0.0625 …, changes 0.75, 0.1875 … exactly.
    data = Dataset([1.0], [0.0])
    run = finished(data, lr=0.25, epochs=10, stop="cost_change", tolerance=0.75)
    assert run.history.cost.tolist() == [1.0, 0.25]
    assert run.reason == "|cost change| = 0.75 ≤ tolerance 0.75 at epoch 1"
    later = finished(data, lr=0.25, epochs=10, stop="cost_change", tolerance=0.5)
    assert later.epochs_done == 2


@pytest.mark.parametrize("tolerance", [1.0, 1e-2, 1e-4, 1e-6, 1e-9, 1e-13])
def test_cost_change_rule_stops_at_the_tutorials_first_small_change(tolerance: float) -> None:
    rows = oracle_stop(XS, YS, [1.0], 0.01, 10_000, "cost_change", tolerance)
    k = len(rows.cost) - 1
    assert 1 <= k < 10_000
    assert abs(rows.cost[k] - rows.cost[k - 1]) <= tolerance
    assert all(abs(rows.cost[j] - rows.cost[j - 1]) > tolerance for j in range(1, k))

    run = finished(TUTORIAL, epochs=10_000, stop="cost_change", tolerance=tolerance)
    assert run.status is Status.FINISHED
    assert run.epochs_done == k
    assert_rows_equal(run, rows)
    assert re.fullmatch(
        rf"\|cost change\| = \S+ ≤ tolerance {tolerance:g} at epoch {k}", run.reason
    ), run.reason


def test_cost_change_rule_never_holds_at_epoch_0() -> None:
    # At the optimum every cost is the same: the first change exists at epoch 1.
    run = finished(TUTORIAL, w0=2.0, epochs=50, stop="cost_change")
    assert run.epochs_done == 1
    assert run.history.cost.tolist() == [0.0, 0.0]
    assert run.reason == "|cost change| = 0 ≤ tolerance 1e-06 at epoch 1"


# ------------------------------------------------------------------ the epochs rule, the cap


def test_epochs_rule_is_the_tutorial_unchanged() -> None:
    default = finished(TUTORIAL)
    explicit = finished(TUTORIAL, stop="epochs", tolerance=1e3)  # tolerance has no effect
    for name, values in snapshot(default).items():
        assert values.tobytes() == snapshot(explicit)[name].tobytes(), name
    assert explicit.epochs_done == 100 and explicit.reason == ""
    assert not explicit.stopped_early
    assert_rows_equal(explicit, oracle.full_batch_rows(XS, YS, [1.0], 0.01, 100))


@pytest.mark.parametrize("stop", ["gradient", "cost_change"])
def test_epochs_stay_the_upper_bound(stop: str) -> None:
    k = len(oracle_stop(XS, YS, [1.0], 0.01, 10_000, stop, 1e-6).cost) - 1
    # Cap below the rule's epoch: every epoch runs, no reason.
    capped = finished(TUTORIAL, epochs=k - 1, stop=stop)
    assert capped.status is Status.FINISHED
    assert capped.epochs_done == k - 1 and capped.reason == ""
    assert not capped.stopped_early
    assert_rows_equal(capped, oracle.full_batch_rows(XS, YS, [1.0], 0.01, k - 1))
    # Cap at the rule's epoch: the rule holds there too; not "early".
    at_cap = finished(TUTORIAL, epochs=k, stop=stop)
    assert at_cap.epochs_done == k and at_cap.reason.endswith(f"at epoch {k}")
    assert not at_cap.stopped_early
    # A tolerance never met: the cap ends the run.
    strict = finished(TUTORIAL, epochs=300, stop=stop, tolerance=1e-300)
    assert strict.epochs_done == 300 and strict.reason == ""


def test_stepping_one_epoch_at_a_time_stops_at_the_same_epoch_and_reset_repeats_it() -> None:
    whole = finished(TUTORIAL, epochs=1000, stop="gradient")
    run = Run(TUTORIAL, RunSettings(epochs=1000, stop="gradient"))
    steps = 0
    while not run.finished:
        assert run.advance(1) == 1
        steps += 1
    assert steps == whole.epochs_done == run.epochs_done
    assert run.advance(5) == 0 and run.epochs_done == steps
    assert run.reason == whole.reason
    run.reset()
    assert run.status is Status.RUNNING and run.reason == "" and run.epochs_done == 0
    run.run_to_end()
    assert run.epochs_done == steps and run.reason == whole.reason
    assert run.history.params.tobytes() == whole.history.params.tobytes()


def test_a_diverging_run_still_diverges_under_a_rule() -> None:
    run = finished(TUTORIAL, lr=1.0, epochs=1000, stop="cost_change", tolerance=1e-6)
    assert run.status is Status.DIVERGED
    assert run.reason.startswith("diverged at epoch")
    assert not run.stopped_early


# ------------------------------------------------------------------ the line model


@pytest.mark.parametrize("stop", ["gradient", "cost_change"])
def test_line_model_stops_where_the_line_program_does(stop: str) -> None:
    xs, ys = [1.0, 2.0, 3.0, 4.0], [3.0, 5.0, 7.0, 9.5]
    rows = oracle_stop(xs, ys, [1.0, 0.5], 0.02, 20_000, stop, 1e-7)
    k = len(rows.cost) - 1
    assert 0 < k < 20_000
    run = finished(
        Dataset(xs, ys), model="line", b0=0.5, lr=0.02, epochs=20_000, stop=stop, tolerance=1e-7
    )
    assert run.epochs_done == k
    assert_rows_equal(run, rows)
    assert run.reason.endswith(f"≤ tolerance 1e-07 at epoch {k}")


def test_line_gradient_rule_uses_the_euclidean_norm_of_both_components() -> None:
    run = finished(TUTORIAL, model="line", lr=0.05, epochs=20_000, stop="gradient", tolerance=1e-5)
    grad = run.history.grad
    norms = np.hypot(grad[:, 0], grad[:, 1])
    assert norms[-1] <= 1e-5 < norms[-2]
    # Each component alone crossed earlier than the norm did, at some epoch or other.
    assert min(np.argmax(np.abs(grad[:, 0]) <= 1e-5), np.argmax(np.abs(grad[:, 1]) <= 1e-5)) < (
        run.epochs_done
    )


# ------------------------------------------------------------------ stochastic runs


@pytest.mark.parametrize(("stop", "tolerance"), [("gradient", 1e-6), ("cost_change", 1e-9)])
def test_sgd_applies_the_rule_to_the_full_batch_values_at_epoch_ends(
    stop: str, tolerance: float
) -> None:
    lesson = oracle.sgd_lesson(XS, YS, 1.0, 0.01, 2000)
    ws = [1.0] + [after[-1] for after in lesson]
    costs = [oracle.cost_origin(XS, YS, w) for w in ws]
    grads = [[oracle.gradient_origin(XS, YS, w)] for w in ws]
    k = first_stop(np.array(costs), np.array(grads), stop, tolerance)
    assert k is not None and 0 < k < 2000

    run = finished(TUTORIAL, optimizer="sgd", epochs=2000, stop=stop, tolerance=tolerance)
    h = run.history
    assert run.status is Status.FINISHED and run.epochs_done == k
    assert h.params[:, 0].tolist() == ws[: k + 1]
    assert h.cost.tolist() == costs[: k + 1]
    # No update after the stopping epoch: the per-update path ends there too.
    assert h.update_position[-1] == k
    assert h.update_params[1:, 0].tolist() == [w for after in lesson[:k] for w in after]


@SLOW
@given(
    optimizer=st.sampled_from(list(OPTIMIZERS)),
    model=st.sampled_from(["origin", "line"]),
    stop=st.sampled_from(["gradient", "cost_change"]),
    tolerance=st.sampled_from([1e-1, 1e-3, 1e-6]),
    points=st.sampled_from([3, 40, 2000]),
    seed=st.integers(0, 2**16),
)
def test_a_stopped_run_is_the_prefix_of_the_full_run_up_to_the_first_row_meeting_the_rule(
    optimizer: str, model: str, stop: str, tolerance: float, points: int, seed: int
) -> None:
    rng = np.random.default_rng(seed)
    x = rng.uniform(-2.0, 2.0, points)
    data = Dataset(x, 1.5 * x - 0.5 + rng.normal(0.0, 0.3, points))
    common: dict[str, Any] = {
        "optimizer": optimizer, "model": model, "lr": 0.02, "epochs": 300,
        "shuffle": optimizer in ("sgd", "minibatch"), "seed": seed,
    }  # fmt: skip
    full = finished(data, **common)
    stopped = finished(data, **common, stop=stop, tolerance=tolerance)
    assert full.status is stopped.status is Status.FINISHED
    k = first_stop(full.history.cost, full.history.grad, stop, tolerance)
    assert stopped.epochs_done == (300 if k is None else k)
    rows = stopped.epochs_done + 1
    for name in ("params", "cost", "grad"):
        prefix = getattr(full.history, name)[:rows]
        assert getattr(stopped.history, name).tobytes() == prefix.tobytes(), name
    assert (stopped.reason != "") == (k is not None)


# ------------------------------------------------------------------ distance to the optimum


def test_distance_to_optimum_on_the_tutorial_is_the_distance_of_w_to_2() -> None:
    run = finished(TUTORIAL)
    assert run.quadratic.optimum == (2.0,)
    distance = run.distance_to_optimum()
    assert distance.dtype == np.float64 and distance.shape == (run.epochs_done + 1,)
    assert distance.tolist() == [abs(w - 2.0) for w in run.history.params[:, 0]]
    assert distance[0] == 1.0
    distance[0] = 5.0  # a new array: writing to it leaves the History alone
    assert run.distance_to_optimum()[0] == 1.0


@pytest.mark.parametrize("lr", [0.01, 0.05, 0.15, 0.2])
def test_distance_shrinks_by_the_contraction_factor_each_epoch(lr: float) -> None:
    run = finished(TUTORIAL, lr=lr, epochs=60)
    factor = Analysis.of(run.quadratic).contraction(lr)
    assert factor == pytest.approx(abs(1 - lr * 28 / 3), rel=1e-15)
    distance = run.distance_to_optimum()
    # While the error is well above the rounding of w ≈ 2 (ulp 4.4e-16); fast rates
    # reach the optimum to the last bit within the 60 epochs.
    shown = int(np.argmin(distance > 1e-6)) if (distance <= 1e-6).any() else len(distance)
    assert shown >= 12
    ratios = distance[1:shown] / distance[: shown - 1]
    np.testing.assert_allclose(ratios, factor, rtol=1e-8)
    np.testing.assert_allclose(distance[:shown], factor ** np.arange(shown), rtol=1e-8)
    assert (np.diff(distance) <= 0).all()  # never grows, down to the last bit


def test_distance_on_the_line_model_is_euclidean_and_within_the_contraction_bound() -> None:
    run = finished(TUTORIAL, model="line", lr=0.05, epochs=200)
    w_opt, b_opt = run.quadratic.optimum
    assert (w_opt, b_opt) == pytest.approx((2.0, 0.0), abs=1e-12)
    params = run.history.params.tolist()
    expected = [math.hypot(w - w_opt, b - b_opt) for w, b in params]
    np.testing.assert_allclose(run.distance_to_optimum(), expected, rtol=1e-15)
    c = Analysis.of(run.quadratic).contraction(0.05)
    assert c < 1
    bound = expected[0] * c ** np.arange(201)
    assert (run.distance_to_optimum() <= bound * (1 + 1e-9)).all()


def test_distance_follows_the_rows_of_stopped_and_diverged_runs() -> None:
    stopped = finished(TUTORIAL, epochs=1000, stop="gradient")
    assert len(stopped.distance_to_optimum()) == stopped.epochs_done + 1 == 165
    # |grad| = (28/3)·|w − 2| on the tutorial's data: the rule stops at distance ≤ 3e-6/28.
    assert stopped.distance_to_optimum()[-1] <= 1e-6 * 3 / 28
    diverged = finished(TUTORIAL, lr=1.0, epochs=1000)
    assert diverged.status is Status.DIVERGED
    distance = diverged.distance_to_optimum()
    assert len(distance) == diverged.epochs_done + 1
    assert np.isfinite(distance).all() and distance[-1] > distance[0]


def test_distance_of_tiny_and_huge_errors_is_exact() -> None:
    # No squaring: neither underflow nor overflow (the optimum of y = 0 is w* = 0).
    tiny = Run(Dataset([1.0], [0.0]), RunSettings(w0=2.0**-600, epochs=0))
    assert tiny.quadratic.optimum == (0.0,)
    assert tiny.distance_to_optimum().tolist() == [2.0**-600]
    huge = Run(Dataset([1.0], [0.0]), RunSettings(w0=1e100, epochs=0))
    assert huge.history.distance_to([-1e200]).tolist() == [1e200]
    with pytest.raises(ValueError, match="coordinates"):
        huge.history.distance_to([0.0, 0.0])
    far = Run(Dataset([1e-100], [0.0]), RunSettings(model="line", w0=1e100, b0=-1e100, epochs=0))
    d = far.distance_to_optimum()
    assert math.isfinite(d[0]) and d[0] == pytest.approx(math.hypot(*far.history.params[0]))


# ------------------------------------------------------------------ settings


def test_defaults_are_the_tutorials_rule() -> None:
    s = RunSettings()
    assert (s.stop, s.tolerance) == ("epochs", 1e-6) == ("epochs", DEFAULT_TOLERANCE)
    assert list(STOP_RULES) == ["epochs", "gradient", "cost_change"]


INVALID: list[tuple[str, dict[str, Any]]] = [
    ("stop", {"stop": "cost-change"}),
    ("stop", {"stop": "Gradient"}),
    ("stop", {"stop": ""}),
    ("stop", {"stop": None}),
    ("stop", {"stop": 1}),
    ("stop", {"stop": ["gradient"]}),
    ("tolerance", {"tolerance": 0.0}),
    ("tolerance", {"tolerance": 0}),
    ("tolerance", {"tolerance": -1e-6}),
    ("tolerance", {"tolerance": math.nan}),
    ("tolerance", {"tolerance": math.inf}),
    ("tolerance", {"tolerance": "1e-6"}),
    ("tolerance", {"tolerance": None}),
    ("tolerance", {"tolerance": True}),
    ("tolerance", {"stop": "gradient", "tolerance": -math.inf}),
]


@pytest.mark.parametrize(("setting", "values"), INVALID, ids=[f"{s}={v}" for s, v in INVALID])
def test_invalid_rule_or_tolerance_names_the_setting(setting: str, values: dict[str, Any]) -> None:
    with pytest.raises(SettingsError, match=setting):
        RunSettings(**values)


def test_tolerance_message_says_what_is_allowed() -> None:
    with pytest.raises(SettingsError, match=r"tolerance .*greater than 0, not -1\.0"):
        RunSettings(tolerance=-1.0)
    with pytest.raises(SettingsError, match=r"tolerance .*finite"):
        RunSettings(tolerance=math.nan)
    with pytest.raises(SettingsError, match=r"epochs, gradient, cost_change"):
        RunSettings(stop="never")


@pytest.mark.parametrize("stop", list(STOP_RULES))
@pytest.mark.parametrize("tolerance", [1e-300, 1e-6, 0.5, 3, 1e100])
def test_valid_rules_and_tolerances_are_accepted(stop: str, tolerance: float) -> None:
    s = RunSettings(stop=stop, tolerance=tolerance)
    assert s.stop == stop and s.tolerance == tolerance
    assert type(s.tolerance) is float


def test_replace_validates_the_rule_again() -> None:
    assert RunSettings().replace(stop="gradient").stop == "gradient"
    with pytest.raises(SettingsError, match="tolerance"):
        RunSettings(stop="gradient").replace(tolerance=0.0)


@pytest.mark.parametrize(
    "settings",
    [
        RunSettings(stop="gradient", tolerance=1e-9),
        RunSettings(stop="cost_change", tolerance=1 / 3, model="line", optimizer="adam"),
        RunSettings(stop="epochs", tolerance=2.5e-300),
    ],
)
def test_json_round_trip_keeps_the_rule(tmp_path: Path, settings: RunSettings) -> None:
    path = tmp_path / "run.json"
    settings.save(path)
    values = json.loads(path.read_text(encoding="utf-8"))
    assert values["stop"] == settings.stop and values["tolerance"] == settings.tolerance
    assert RunSettings.load(path) == settings


def test_a_file_saved_before_the_rules_existed_loads_with_the_tutorials_rule(
    tmp_path: Path,
) -> None:
    old = RunSettings(lr=0.05, epochs=30).to_dict()
    del old["stop"], old["tolerance"]
    path = tmp_path / "old.json"
    path.write_text(json.dumps(old, indent=2), encoding="utf-8")
    loaded = RunSettings.load(path)
    assert loaded == RunSettings(lr=0.05, epochs=30)
    assert (loaded.stop, loaded.tolerance) == ("epochs", 1e-6)


@pytest.mark.parametrize(
    ("values", "setting"),
    [({"stop": "sometimes"}, "stop"), ({"tolerance": "small"}, "tolerance"),
     ({"tolerance": 0}, "tolerance"), ({"tolerance": -0.5}, "tolerance")],
)  # fmt: skip
def test_a_bad_rule_in_a_file_names_the_file_and_the_setting(
    tmp_path: Path, values: dict[str, Any], setting: str
) -> None:
    path = tmp_path / "run.json"
    path.write_text(json.dumps(values), encoding="utf-8")
    with pytest.raises(SettingsError) as caught:
        RunSettings.load(path)
    assert str(path) in str(caught.value) and setting in str(caught.value)
