"""Dataset: validated float64 points, errors that name the row and the problem."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest

from gd_viewer.core import DataError, Dataset


def test_tutorial_dataset_is_the_tutorials_three_points() -> None:
    data = Dataset.tutorial()
    assert data.x.tolist() == [1.0, 2.0, 3.0]
    assert data.y.tolist() == [2.0, 4.0, 6.0]
    assert len(data) == data.size == 3


def test_values_are_stored_as_float64_whatever_the_input_type() -> None:
    data = Dataset([1, 2, 3], np.array([4, 5, 6], dtype=np.int32))
    assert data.x.dtype == np.float64 and data.y.dtype == np.float64
    assert data.x.tolist() == [1.0, 2.0, 3.0]
    assert data.y.tolist() == [4.0, 5.0, 6.0]


def test_numeric_strings_are_numbers() -> None:
    data = Dataset(["1.5", "-2"], ["3e2", "0"])
    assert data.x.tolist() == [1.5, -2.0]
    assert data.y.tolist() == [300.0, 0.0]


def test_columns_are_read_only() -> None:
    data = Dataset.tutorial()
    with pytest.raises(ValueError):
        data.x[0] = 10.0
    with pytest.raises(ValueError):
        data.y[1] = 10.0
    with pytest.raises(ValueError):
        data.x.flags.writeable = True
    assert data.x.tolist() == [1.0, 2.0, 3.0]


def test_dataset_copies_the_callers_arrays() -> None:
    x = np.array([1.0, 2.0, 3.0])
    y = np.array([2.0, 4.0, 6.0])
    data = Dataset(x, y)
    x[0] = 100.0
    y[2] = -1.0
    assert data.x.tolist() == [1.0, 2.0, 3.0]
    assert data.y.tolist() == [2.0, 4.0, 6.0]


def test_with_point_moves_one_point_in_a_copy() -> None:
    data = Dataset.tutorial()
    moved = data.with_point(1, 2.5, -4.0)
    assert moved.x.tolist() == [1.0, 2.5, 3.0]
    assert moved.y.tolist() == [2.0, -4.0, 6.0]
    assert data.x.tolist() == [1.0, 2.0, 3.0]
    assert data.y.tolist() == [2.0, 4.0, 6.0]
    assert data.with_point(-1, 0.0, 0.0).x.tolist() == [1.0, 2.0, 0.0]


def test_with_point_validates_the_new_point() -> None:
    with pytest.raises(DataError, match=r"row 3: y = nan is not a number \(NaN\)"):
        Dataset.tutorial().with_point(2, 1.0, math.nan)


def test_data_error_is_a_value_error() -> None:
    assert issubclass(DataError, ValueError)


def test_empty_data_is_refused() -> None:
    with pytest.raises(DataError, match="no data points"):
        Dataset([], [])


@pytest.mark.parametrize(("xs", "ys"), [([1, 2, 3], [1, 2]), ([1], [1, 2, 3]), ([], [1])])
def test_columns_of_different_lengths_are_refused(xs: list[int], ys: list[int]) -> None:
    with pytest.raises(DataError) as caught:
        Dataset(xs, ys)
    message = str(caught.value)
    assert str(len(xs)) in message and str(len(ys)) in message


def test_two_dimensional_input_is_refused() -> None:
    with pytest.raises(DataError, match="x"):
        Dataset(np.ones((2, 2)), np.ones(4))


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("x", math.nan, r"row 3: x = nan is not a number \(NaN\)"),
        ("y", math.nan, r"row 3: y = nan is not a number \(NaN\)"),
        ("x", math.inf, r"row 3: x = inf is infinite"),
        ("y", -math.inf, r"row 3: y = -inf is infinite"),
        ("x", 1.5e100, r"row 3: x = 1\.5e\+100 is too large"),
        ("y", -2e100, r"row 3: y = -2e\+100 is too large"),
    ],
)
def test_bad_value_names_problem_row_and_column(column: str, value: float, message: str) -> None:
    xs = [1.0, 2.0, 3.0, 4.0]
    ys = [1.0, 2.0, 3.0, 4.0]
    (xs if column == "x" else ys)[2] = value
    with pytest.raises(DataError, match=message):
        Dataset(xs, ys)


def test_bad_value_in_a_large_array_names_its_row() -> None:
    x = np.linspace(0.0, 1.0, 100_000)
    y = x.copy()
    y[76_543] = math.nan
    with pytest.raises(DataError, match=r"^row 76544: y = nan is not a number"):
        Dataset(x, y)


def test_values_at_the_limit_are_accepted() -> None:
    data = Dataset([1e100, -1e100, 5e-324], [-1e100, 0.0, -0.0])
    assert data.x.tolist() == [1e100, -1e100, 5e-324]


def test_many_moderate_values_whose_squares_overflow_are_accepted() -> None:
    # Each value is within the limit although the sum of squares is not finite.
    x = np.full(10, 1e100)
    y = np.full(10, -1e100)
    assert Dataset(x, y).size == 10


@pytest.mark.parametrize(
    ("xs", "row", "shown"),
    [
        (["1", "a", "2"], 2, "'a'"),
        ([1.0, 2.0, "three"], 3, "'three'"),
        ([1.0, None, 3.0], 2, None),
        ([1.0, 2.0, True], 3, "True"),
        ([False, 2.0, 3.0], 1, "False"),
        ([1.0, [2.0], 3.0], 2, None),
        ([1.0, {}, 3.0], 2, None),
    ],
)
def test_non_numbers_are_refused_with_their_row(xs: list[object], row: int, shown: str) -> None:
    with pytest.raises(DataError) as caught:
        Dataset(xs, [1.0, 2.0, 3.0])
    message = str(caught.value)
    assert re.match(rf"row {row}: x = ", message), message
    assert "not a number" in message
    if shown is not None:
        assert shown in message


def test_huge_python_integer_is_refused_as_too_large() -> None:
    with pytest.raises(DataError, match=r"^row 2: y = .* too large"):
        Dataset([0.0, 1.0], [1.0, 10**400])


def test_numpy_boolean_array_is_refused() -> None:
    with pytest.raises(DataError, match=r"^row 1: x = .*True.* is not a number"):
        Dataset(np.array([True, False, True]), [1.0, 2.0, 3.0])


def test_a_string_instead_of_a_list_is_refused() -> None:
    with pytest.raises(DataError):
        Dataset("123", [1.0, 2.0, 3.0])


def test_equal_datasets_compare_equal() -> None:
    assert Dataset([1, 2, 3], [2, 4, 6]) == Dataset.tutorial()
    assert Dataset([1, 2, 3], [2, 4, 7]) != Dataset.tutorial()
