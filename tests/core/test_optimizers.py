"""Step rules: torch.optim's documented formulas, checked against hand-written arithmetic."""

from __future__ import annotations

import math

import pytest

from gd_viewer.core import OPTIMIZERS, make_step_rule

GRADS = [[2.0, -0.5], [1.0, 0.25], [-3.0, 1.5]]
START = [1.0, -2.0]


def _run(rule_name: str, lr: float, grads: list[list[float]], **hyper: float) -> list[list[float]]:
    rule = make_step_rule(rule_name, lr, **hyper)
    params = list(START)
    path = []
    for g in grads:
        rule.step(params, g)
        path.append(list(params))
    return path


def _close(actual: list[list[float]], expected: list[list[float]]) -> None:
    assert len(actual) == len(expected)
    for got, want in zip(actual, expected, strict=True):
        assert got == pytest.approx(want, rel=1e-14, abs=1e-15)


def test_every_documented_optimizer_has_a_rule() -> None:
    assert set(OPTIMIZERS) == {
        "gd", "sgd", "minibatch", "momentum", "nesterov", "adagrad", "rmsprop", "adam",
    }  # fmt: skip
    for name in OPTIMIZERS:
        params = [1.0]
        make_step_rule(name, 0.1).step(params, [1.0])
        assert params[0] < 1.0, name  # every rule steps against the gradient


def test_unknown_optimizer_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="adam"):
        make_step_rule("adamw", 0.1)


@pytest.mark.parametrize("name", ["gd", "sgd", "minibatch"])
def test_plain_rules_subtract_lr_times_gradient(name: str) -> None:
    lr = 0.1
    expected = []
    w, b = START
    for gw, gb in GRADS:
        w, b = w - lr * gw, b - lr * gb
        expected.append([w, b])
    assert _run(name, lr, GRADS) == expected  # the tutorial's update, to the bit
    # By hand: 1 − 0.1·2 = 0.8, then 0.8 − 0.1 = 0.7, then 0.7 + 0.3 = 1.0.
    _close([[p[0]] for p in _run(name, lr, GRADS)], [[0.8], [0.7], [1.0]])


def test_tutorial_first_step() -> None:
    params = [1.0]
    make_step_rule("gd", 0.01).step(params, [-28 / 3])
    assert params[0] == 1 + 0.01 * 28 / 3


def test_momentum_first_steps_by_hand() -> None:
    lr, mu = 0.1, 0.9
    # b1 = g1; b2 = μ·b1 + g2; b3 = μ·b2 + g3; θ ← θ − lr·b
    b1 = [2.0, -0.5]
    b2 = [0.9 * 2.0 + 1.0, 0.9 * -0.5 + 0.25]  # [2.8, -0.2]
    b3 = [0.9 * 2.8 - 3.0, 0.9 * -0.2 + 1.5]  # [-0.48, 1.32]
    p1 = [1.0 - 0.1 * b1[0], -2.0 - 0.1 * b1[1]]  # [0.8, -1.95]
    p2 = [p1[0] - 0.1 * b2[0], p1[1] - 0.1 * b2[1]]  # [0.52, -1.93]
    p3 = [p2[0] - 0.1 * b3[0], p2[1] - 0.1 * b3[1]]  # [0.568, -2.062]
    _close(_run("momentum", lr, GRADS, momentum=mu), [p1, p2, p3])
    _close([p1, p2, p3], [[0.8, -1.95], [0.52, -1.93], [0.568, -2.062]])


def test_nesterov_first_steps_by_hand() -> None:
    # Step direction g + μ·b, with the same buffers as plain momentum.
    d1 = [2.0 + 0.9 * 2.0, -0.5 + 0.9 * -0.5]  # [3.8, -0.95]
    d2 = [1.0 + 0.9 * 2.8, 0.25 + 0.9 * -0.2]  # [3.52, 0.07]
    d3 = [-3.0 + 0.9 * -0.48, 1.5 + 0.9 * 1.32]  # [-3.432, 2.688]
    p1 = [1.0 - 0.1 * d1[0], -2.0 - 0.1 * d1[1]]
    p2 = [p1[0] - 0.1 * d2[0], p1[1] - 0.1 * d2[1]]
    p3 = [p2[0] - 0.1 * d3[0], p2[1] - 0.1 * d3[1]]
    _close(_run("nesterov", 0.1, GRADS, momentum=0.9), [p1, p2, p3])
    _close([p1, p2, p3], [[0.62, -1.905], [0.268, -1.912], [0.6112, -2.1808]])


def test_momentum_hyperparameter_is_used() -> None:
    # μ = 0.5: b2 = 0.5·2 + 1 = 2, so θ2 = 1 − 0.1·2 − 0.1·2 = 0.6.
    path = _run("momentum", 0.1, GRADS[:2], momentum=0.5)
    assert path[1][0] == pytest.approx(0.6, rel=1e-14)


def test_adagrad_first_steps_by_hand() -> None:
    eps = 1e-10  # torch's default
    s1 = [4.0, 0.25]
    s2 = [4.0 + 1.0, 0.25 + 0.0625]
    s3 = [5.0 + 9.0, 0.3125 + 2.25]
    p1 = [1.0 - 0.1 * 2.0 / (2.0 + eps), -2.0 - 0.1 * -0.5 / (0.5 + eps)]
    p2 = [
        p1[0] - 0.1 * 1.0 / (math.sqrt(s2[0]) + eps),
        p1[1] - 0.1 * 0.25 / (math.sqrt(s2[1]) + eps),
    ]
    p3 = [
        p2[0] - 0.1 * -3.0 / (math.sqrt(s3[0]) + eps),
        p2[1] - 0.1 * 1.5 / (math.sqrt(s3[1]) + eps),
    ]
    assert math.sqrt(s1[0]) == 2.0 and math.sqrt(s1[1]) == 0.5
    _close(_run("adagrad", 0.1, GRADS), [p1, p2, p3])


def test_rmsprop_first_steps_by_hand() -> None:
    alpha, eps = 0.99, 1e-8  # torch's defaults
    v1 = [0.01 * 4.0, 0.01 * 0.25]  # √v1 = 0.1·|g1|: the first step is ≈ 10·lr·sign(g)
    v2 = [0.99 * v1[0] + 0.01 * 1.0, 0.99 * v1[1] + 0.01 * 0.0625]
    v3 = [0.99 * v2[0] + 0.01 * 9.0, 0.99 * v2[1] + 0.01 * 2.25]
    p1 = [
        1.0 - 0.01 * 2.0 / (math.sqrt(v1[0]) + eps),
        -2.0 - 0.01 * -0.5 / (math.sqrt(v1[1]) + eps),
    ]
    p2 = [
        p1[0] - 0.01 * 1.0 / (math.sqrt(v2[0]) + eps),
        p1[1] - 0.01 * 0.25 / (math.sqrt(v2[1]) + eps),
    ]
    p3 = [
        p2[0] - 0.01 * -3.0 / (math.sqrt(v3[0]) + eps),
        p2[1] - 0.01 * 1.5 / (math.sqrt(v3[1]) + eps),
    ]
    path = _run("rmsprop", 0.01, GRADS)
    _close(path, [p1, p2, p3])
    assert path[0] == pytest.approx([1.0 - 0.1, -2.0 + 0.1], rel=1e-7)
    assert alpha == 0.99


def test_rmsprop_alpha_is_used() -> None:
    # α = 0.5: v1 = 0.5·g², first step lr·g/(√0.5·|g|) = lr·√2·sign(g).
    path = _run("rmsprop", 0.01, GRADS[:1], alpha=0.5)
    assert path[0] == pytest.approx([1.0 - 0.01 * math.sqrt(2), -2.0 + 0.01 * math.sqrt(2)])


def test_adam_first_steps_by_hand() -> None:
    b1, b2, eps, lr = 0.9, 0.999, 1e-8, 0.1
    expected = []
    params = list(START)
    m = [0.0, 0.0]
    v = [0.0, 0.0]
    for t, g in enumerate(GRADS, start=1):
        for i in range(2):
            m[i] = b1 * m[i] + (1 - b1) * g[i]
            v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i]
            m_hat = m[i] / (1 - b1**t)
            v_hat = v[i] / (1 - b2**t)
            params[i] -= lr * m_hat / (math.sqrt(v_hat) + eps)
        expected.append(list(params))
    _close(_run("adam", lr, GRADS), expected)


def test_adam_first_step_moves_each_parameter_by_lr_against_the_gradient_sign() -> None:
    # m̂ = g and √v̂ = |g| after one step: the move is lr·g/(|g| + ε), whatever |g| is.
    for g in ([2.0, -0.5], [1e-3, -1e4], [-7.0, 3e-2]):
        params = [1.0, -2.0]
        make_step_rule("adam", 0.05).step(params, g)
        moves = [params[0] - 1.0, params[1] + 2.0]
        assert moves == pytest.approx([-0.05 * math.copysign(1, gi) for gi in g], rel=1e-5)


def test_adam_second_step_with_a_constant_gradient_is_again_lr() -> None:
    # With g constant, m̂ = g and v̂ = g² at every step, so every step is lr·sign(g).
    path = _run("adam", 0.1, [[3.0, -3.0]] * 3)
    for got, want in zip(path, [[0.9, -1.9], [0.8, -1.8], [0.7, -1.7]], strict=True):
        assert got == pytest.approx(want, rel=1e-8)  # ε = 1e-8 against |g| = 3


def test_adam_betas_are_used() -> None:
    # β1 = 0.5, β2 = 0.75, gradients 1 then 3:
    # m = 0.5, 0.25 + 1.5 = 1.75; v = 0.25, 0.1875 + 2.25 = 2.4375
    # m̂2 = 1.75 / 0.75, v̂2 = 2.4375 / 0.4375
    path = _run("adam", 0.1, [[1.0, 1.0], [3.0, 3.0]], beta1=0.5, beta2=0.75)
    step2 = 0.1 * (1.75 / 0.75) / (math.sqrt(2.4375 / 0.4375) + 1e-8)
    step1 = 0.1 * 1.0 / (1.0 + 1e-8)
    assert path[1][0] == pytest.approx(1.0 - step1 - step2, rel=1e-12)


@pytest.mark.parametrize(
    ("name", "g", "expected_step"),
    [
        # Adagrad, eps 1e-10: lr·g/(|g| + eps) with g = 1e-9 → lr/1.1
        ("adagrad", 1e-9, 0.1 / 1.1),
        # RMSprop, eps 1e-8: √v = 0.1·1e-7 = 1e-8 → lr·1e-7/(2e-8) = 5·lr
        ("rmsprop", 1e-7, 0.5),
        # Adam, eps 1e-8: m̂ = g, √v̂ = 1e-8 → lr·1e-8/(2e-8) = lr/2
        ("adam", 1e-8, 0.05),
    ],
)
def test_default_epsilons_are_torchs(name: str, g: float, expected_step: float) -> None:
    params = [0.0]
    make_step_rule(name, 0.1).step(params, [g])
    assert params[0] == pytest.approx(-expected_step, rel=1e-9)


def test_explicit_eps_is_used() -> None:
    params = [0.0]
    make_step_rule("adagrad", 0.1, eps=1e-9).step(params, [1e-9])
    assert params[0] == pytest.approx(-0.05, rel=1e-9)


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_reset_forgets_all_state(name: str) -> None:
    rule = make_step_rule(name, 0.05)
    grads = [[1.0, -2.0], [0.5, 0.5], [-4.0, 1.0], [2.0, 2.0]]

    def run() -> list[list[float]]:
        params = [0.3, -0.7]
        path = []
        for g in grads:
            rule.step(params, g)
            path.append(list(params))
        return path

    first = run()
    rule.reset()
    assert run() == first
    fresh = make_step_rule(name, 0.05)
    params = [0.3, -0.7]
    for g in grads:
        fresh.step(params, g)
    assert params == first[-1]


@pytest.mark.parametrize("name", ["momentum", "nesterov", "adagrad", "rmsprop", "adam"])
def test_stateful_rules_remember_between_steps(name: str) -> None:
    # Without a reset the same gradient moves differently the second time: the state
    # the reset test clears really exists.
    rule = make_step_rule(name, 0.05)
    params = [0.0]
    rule.step(params, [1.0])
    first_step = params[0]
    rule.step(params, [-1.0])
    second_step = params[0] - first_step
    assert abs(second_step) != pytest.approx(abs(first_step))
