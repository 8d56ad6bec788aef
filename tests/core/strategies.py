"""Hypothesis settings and data strategies shared by the core tests."""

from __future__ import annotations

import numpy as np
from hypothesis import settings
from hypothesis import strategies as st

#: Deterministic (the same examples on every run, so a failure reproduces) and without
#: an example database (the tests write nothing outside their temporary folders).
FAST = settings(max_examples=60, deadline=None, derandomize=True, database=None)
SLOW = settings(FAST, max_examples=25)


def _values(bound: float) -> st.SearchStrategy[float]:
    return st.floats(-bound, bound, allow_nan=False, allow_infinity=False)


@st.composite
def point_lists(
    draw: st.DrawFn, max_points: int = 1024, bound: float = 1e6
) -> tuple[list[float], list[float]]:
    """(xs, ys) of equal length 1 … max_points, finite values within ±bound.

    Short lists come straight from Hypothesis (shrinkable, with its awkward values:
    zeros, -0.0, subnormals, repeats); long ones from a seeded numpy generator at a
    drawn scale and offset.
    """
    if max_points <= 24 or draw(st.booleans()):
        n = draw(st.integers(1, min(24, max_points)))
        xs = draw(st.lists(_values(bound), min_size=n, max_size=n))
        ys = draw(st.lists(_values(bound), min_size=n, max_size=n))
        return xs, ys
    n = draw(st.integers(25, max_points))
    seed = draw(st.integers(0, 2**32 - 1))
    scale = draw(st.sampled_from([1e-3, 1.0, 7.5, 1e3]))
    offset = draw(st.sampled_from([0.0, 1.0, -20.0]))
    rng = np.random.default_rng(seed)
    x = np.clip(rng.normal(offset, 1.0, n) * scale, -bound, bound)
    y = np.clip((rng.normal(0.5, 3.0) * x + rng.normal(0.0, 1.0, n) * scale), -bound, bound)
    return x.tolist(), y.tolist()


def params_for(n_params: int, bound: float = 1e3) -> st.SearchStrategy[list[float]]:
    return st.lists(_values(bound), min_size=n_params, max_size=n_params)
