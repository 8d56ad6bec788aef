"""Pinned runs: copies that never change, summaries that match the tutorial's own loop."""

from __future__ import annotations

import math

import numpy as np
import pytest

from gd_viewer.core import Analysis, Dataset, Run, RunSettings, Status
from gd_viewer.core.pins import MAX_PINS, PIN_COLOURS, PinnedRun, PinnedRuns, default_label
from tests.core.tutorial_oracle import full_batch_rows

XS = [1.0, 2.0, 3.0]
YS = [2.0, 4.0, 6.0]


def finished(**settings: object) -> Run:
    run = Run(Dataset.tutorial(), RunSettings(**settings))  # type: ignore[arg-type]
    run.run_to_end()
    return run


def first_within(distances: list[float], tolerance: float) -> int | None:
    return next((k for k, d in enumerate(distances) if d <= tolerance), None)


# --------------------------------------------------------------------------- copies


def test_a_pin_copies_the_history_and_never_changes_with_its_run() -> None:
    run = Run(Dataset.tutorial())
    run.advance(10)
    pin = PinnedRun.from_run(run)
    params, cost = pin.params.copy(), pin.cost.copy()
    assert pin.params.shape == (11, 1) and pin.cost.shape == (11,)
    assert not np.shares_memory(pin.params, run.history.params)
    assert not np.shares_memory(pin.cost, run.history.cost)
    assert pin.status is Status.RUNNING and pin.epochs == 10

    run.advance(50)  # the run's views grow; the pin does not
    assert pin.params.shape == (11, 1) and pin.epochs == 10
    run.reset()
    run.history._params[:] = 99.0  # a reused History written over
    run.history._cost[:] = 99.0
    np.testing.assert_array_equal(pin.params, params)
    np.testing.assert_array_equal(pin.cost, cost)
    assert pin.final_params == (float(params[-1, 0]),)


def test_a_pins_arrays_are_read_only() -> None:
    pin = PinnedRun.from_run(finished())
    with pytest.raises(ValueError, match="read-only"):
        pin.params[0, 0] = 5.0
    with pytest.raises(ValueError, match="read-only"):
        pin.cost[0] = 5.0


def test_a_stochastic_pin_keeps_its_updates_and_tells_how_many_come_by_an_epoch() -> None:
    run = Run(Dataset.tutorial(), RunSettings(optimizer="sgd", model="line", epochs=5))
    run.advance(3)
    pin = PinnedRun.from_run(run)
    history = run.history
    np.testing.assert_array_equal(pin.update_params, history.update_params)
    np.testing.assert_array_equal(pin.update_cost, history.update_cost)
    assert not np.shares_memory(pin.update_params, history.update_params)
    with pytest.raises(ValueError, match="read-only"):
        pin.update_params[0, 0] = 5.0
    # The start, then one update per point: by the end of epoch k, 1 + 3k of them, the
    # last one the parameters epoch k + 1 starts from.
    for k in range(4):
        count = pin.updates_by(k)
        assert count == 1 + 3 * k
        np.testing.assert_array_equal(pin.update_params[count - 1], pin.params[k])
    run.advance(2)
    assert len(pin.update_position) == 10  # the pin does not grow with its run


def test_a_full_batch_pin_has_no_updates() -> None:
    pin = PinnedRun.from_run(finished())
    assert len(pin.update_params) == 0 and pin.updates_by(50) == 0


def test_a_run_without_any_recorded_epoch_cannot_be_pinned() -> None:
    # (1e100·1e100)² overflows: the initial parameters already diverge.
    run = Run(Dataset([1e100], [0.0]), RunSettings(w0=1e100))
    assert len(run.history) == 0 and run.status is Status.DIVERGED
    with pytest.raises(ValueError, match="no recorded epoch"):
        PinnedRun.from_run(run)


# --------------------------------------------------------------------------- summaries


@pytest.mark.parametrize(("lr", "epochs"), [(0.01, 100), (0.1, 100), (0.01, 300), (0.2, 100)])
def test_summary_matches_the_tutorials_loop(lr: float, epochs: int) -> None:
    pin = PinnedRun.from_run(finished(lr=lr, epochs=epochs))
    rows = full_batch_rows(XS, YS, [1.0], lr, epochs)
    w = [p[0] for p in rows.params]
    assert pin.lr == lr
    assert pin.initial_params == (1.0,)
    assert pin.final_params == (w[-1],)  # to the bit: the core runs the tutorial's loop
    assert pin.final_cost == rows.cost[-1]
    assert pin.epochs == epochs
    assert pin.params[:, 0].tolist() == w
    assert pin.cost.tolist() == rows.cost
    assert pin.optimum == (2.0,) and pin.min_cost == 0.0
    assert pin.status is Status.FINISHED and pin.reason == "" and not pin.diverged
    expected = first_within([abs(v - 2.0) for v in w], 1e-6)
    assert pin.epochs_to_tolerance == expected
    # The closed form agrees where it is reached within the epochs run.
    bound = Analysis.of(Run(Dataset.tutorial()).quadratic).epochs_to_tolerance(lr, (1.0,), 1e-6)
    assert pin.epochs_to_tolerance == (bound if bound <= epochs else None)


def test_epochs_to_tolerance_of_the_tutorial() -> None:
    # |1 − lr·28/3| per epoch from |1 − 2| = 1: 142 epochs at lr = 0.01, 6 at lr = 0.1.
    assert PinnedRun.from_run(finished(lr=0.01)).epochs_to_tolerance is None
    assert PinnedRun.from_run(finished(lr=0.01, epochs=300)).epochs_to_tolerance == 142
    assert PinnedRun.from_run(finished(lr=0.1)).epochs_to_tolerance == 6
    loose = PinnedRun.from_run(finished(lr=0.1, tolerance=0.1))
    assert loose.epochs_to_tolerance == 1 and loose.tolerance == 0.1  # |w1 − 2| = 1/15


def test_line_model_uses_the_distance_to_both_optimal_parameters() -> None:
    run = finished(model="line", lr=0.05, epochs=2000, w0=-0.5, b0=1.0)
    pin = PinnedRun.from_run(run)
    rows = full_batch_rows(XS, YS, [-0.5, 1.0], 0.05, 2000)
    assert pin.params.shape == (2001, 2)
    assert pin.initial_params == (-0.5, 1.0)
    assert pin.final_params == pytest.approx(tuple(rows.params[-1]), rel=1e-12, abs=1e-12)
    distances = [math.dist(p, pin.optimum) for p in rows.params]
    expected = first_within(distances, 1e-6)
    assert expected is not None and pin.epochs_to_tolerance is not None
    assert abs(pin.epochs_to_tolerance - expected) <= 1  # last-bit differences near the edge
    assert pin.label == "lr = 0.05, w0 = -0.5, b0 = 1"


def test_a_run_stopped_by_its_rule_keeps_its_reason() -> None:
    pin = PinnedRun.from_run(finished(lr=0.1, stop="gradient", tolerance=1e-3))
    assert pin.status is Status.FINISHED
    assert pin.epochs < 100 and pin.epochs == len(pin.cost) - 1
    assert "gradient" in pin.reason


def test_a_diverged_run_keeps_its_finite_rows() -> None:
    pin = PinnedRun.from_run(finished(lr=1.0, epochs=1000))
    assert pin.diverged and pin.status is Status.DIVERGED
    assert pin.reason.startswith("diverged at epoch")
    assert 0 < pin.epochs < 1000
    assert np.isfinite(pin.params).all() and np.isfinite(pin.cost).all()
    assert pin.epochs_to_tolerance is None


def test_labels() -> None:
    assert PinnedRun.from_run(finished()).label == "lr = 0.01, w0 = 1"
    assert PinnedRun.from_run(finished(), label="mine").label == "mine"
    assert default_label(RunSettings(lr=1e-05, w0=2.5)) == "lr = 1e-05, w0 = 2.5"
    assert default_label(RunSettings(optimizer="adam", lr=0.1)) == "adam, lr = 0.1, w0 = 1"


def test_same_as_compares_contents() -> None:
    a = PinnedRun.from_run(finished(lr=0.1))
    b = PinnedRun.from_run(finished(lr=0.1), label="another name")
    assert a.same_as(b) and a != b  # equal contents, two objects
    assert not a.same_as(PinnedRun.from_run(finished(lr=0.2)))
    partial = Run(Dataset.tutorial(), RunSettings(lr=0.1))
    partial.advance(5)
    assert not a.same_as(PinnedRun.from_run(partial))
    other_data = Run(Dataset([1.0, 2.0], [3.0, 4.0]), RunSettings(lr=0.1))
    other_data.run_to_end()
    assert not a.same_as(PinnedRun.from_run(other_data))


# --------------------------------------------------------------------------- the list


def test_pinned_runs_refuse_duplicates() -> None:
    pins = PinnedRuns()
    run = finished(lr=0.1)
    assert pins.add(PinnedRun.from_run(run))
    assert not pins.add(PinnedRun.from_run(run))
    assert not pins.add(PinnedRun.from_run(finished(lr=0.1)))  # the same run again
    assert len(pins) == 1
    assert pins.add(PinnedRun.from_run(finished(lr=0.01)))
    assert [p.lr for p in pins] == [0.1, 0.01]


def test_pinned_runs_respect_their_maximum_and_give_distinct_colours() -> None:
    pins = PinnedRuns()
    rates = [0.01 * (i + 1) for i in range(MAX_PINS + 1)]
    added = [pins.add(PinnedRun.from_run(finished(lr=lr))) for lr in rates]
    assert added == [True] * MAX_PINS + [False]
    assert len(pins) == MAX_PINS and pins.full
    assert [p.lr for p in pins] == rates[:MAX_PINS]
    assert sorted(pins.colours) == list(range(PIN_COLOURS))


def test_pins_keep_their_colours_when_another_is_removed() -> None:
    pins = PinnedRuns(maximum=3)
    for lr in (0.01, 0.02, 0.03):
        pins.add(PinnedRun.from_run(finished(lr=lr)))
    assert list(pins.colours) == [0, 1, 2]
    removed = pins.remove(1)
    assert removed.lr == 0.02 and len(pins) == 2
    assert list(pins.colours) == [0, 2]  # unchanged for those left
    assert pins.add(PinnedRun.from_run(finished(lr=0.04)))
    assert list(pins.colours) == [0, 2, 1]  # the free colour
    assert pins[2].lr == 0.04 and pins.colour(2) == 1
    assert len(set(pins.colours)) == len(pins)
    with pytest.raises(IndexError):
        pins.remove(5)
    pins.clear()
    assert len(pins) == 0 and list(pins) == [] and list(pins.colours) == []
    assert not pins.full


def test_iterating_is_safe_while_removing() -> None:
    pins = PinnedRuns()
    for lr in (0.01, 0.02, 0.03):
        pins.add(PinnedRun.from_run(finished(lr=lr)))
    for _ in pins:
        pins.remove(0)
    assert len(pins) == 0


@pytest.mark.parametrize("maximum", [0, PIN_COLOURS + 1])
def test_the_maximum_fits_the_colours(maximum: int) -> None:
    with pytest.raises(ValueError, match="maximum"):
        PinnedRuns(maximum)
