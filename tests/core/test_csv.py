"""CSV reading and writing: formats accepted, errors that name the line, exact round trips."""

from __future__ import annotations

import errno
import os
import re
from pathlib import Path
from typing import BinaryIO

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from gd_viewer.core import DataError, Dataset, read_csv, write_csv
from gd_viewer.core.data import parse_csv
from gd_viewer.core.fileio import atomic_write
from tests.core.strategies import FAST


def _write(tmp_path: Path, content: str | bytes, name: str = "points.csv") -> Path:
    path = tmp_path / name
    if isinstance(content, str):
        path.write_bytes(content.encode("utf-8"))
    else:
        path.write_bytes(content)
    return path


# ------------------------------------------------------------------ accepted formats


@pytest.mark.parametrize(
    "text",
    [
        "x,y\n1,2\n2,4\n3,6\n",
        "1,2\n2,4\n3,6\n",
        "1,2\n2,4\n3,6",
        "x\ty\n1\t2\n2\t4\n3\t6\n",
        "1\t2\n2\t4\n3\t6\n",
        "x,y\r\n1,2\r\n2,4\r\n3,6\r\n",
        "# the tutorial's points\nx,y\n\n1,2\n# middle\n2,4\n\n3,6\n\n",
        "\n\n1.0,2.0\n2e0,4.000\n  3 , 6 \n",
        "\ufeffx,y\n1,2\n2,4\n3,6\n",
    ],
    ids=[
        "header",
        "no-header",
        "no-final-newline",
        "tab-header",
        "tab-no-header",
        "crlf",
        "comments-and-blank-lines",
        "number-spellings",
        "bom-in-text",
    ],
)
def test_accepted_layouts_give_the_tutorial_points(tmp_path: Path, text: str) -> None:
    data = read_csv(_write(tmp_path, text))
    assert data == Dataset.tutorial()


def test_utf8_bom_file_is_read(tmp_path: Path) -> None:
    path = _write(tmp_path, b"\xef\xbb\xbfx,y\n1,2\n2,4\n3,6\n")
    assert read_csv(path) == Dataset.tutorial()


def test_parse_csv_reads_text() -> None:
    data = parse_csv("x,y\n-1.5,2.25\n1e-3,-0\n")
    assert data.x.tolist() == [-1.5, 1e-3]
    assert data.y.tolist() == [2.25, 0.0]


def test_read_csv_accepts_a_string_path(tmp_path: Path) -> None:
    path = _write(tmp_path, "1,2\n")
    assert read_csv(str(path)).x.tolist() == [1.0]


def test_single_point_file(tmp_path: Path) -> None:
    data = read_csv(_write(tmp_path, "x,y\n0.5,-7\n"))
    assert data.x.tolist() == [0.5] and data.y.tolist() == [-7.0]


# ------------------------------------------------------------------ errors name the line


def _error(text: str) -> str:
    with pytest.raises(DataError) as caught:
        parse_csv(text)
    return str(caught.value)


def test_ragged_row_names_its_line() -> None:
    message = _error("x,y\n1,2\n3,4\n5,6,7\n8,9\n")
    assert message.startswith("line 4: expected 2 values"), message


def test_first_line_of_three_numbers_is_a_ragged_row_not_a_header() -> None:
    # A line of numbers is data; dropping it as a "header" would lose a point silently.
    message = _error("1,2,3\n4,5\n6,7\n")
    assert message.startswith("line 1: expected 2 values"), message


def test_row_with_one_value_names_its_line() -> None:
    message = _error("x,y\n1,2\n\n# comment\n3\n")
    assert message.startswith("line 5: expected 2 values"), message


def test_non_number_names_line_column_and_text() -> None:
    message = _error("x,y\n1,2\n3,abc\n4,5\n")
    assert message.startswith("line 3: y = 'abc' is not a number"), message


def test_non_number_line_counts_blank_and_comment_lines() -> None:
    message = _error("# data\n\nx,y\n\n1,2\n# more\nfoo,4\n")
    assert message.startswith("line 7: x = 'foo' is not a number"), message


@pytest.mark.parametrize(
    ("value", "problem"),
    [("nan", r"is not a number \(NaN\)"), ("inf", "is infinite"), ("-inf", "is infinite")],
)
def test_nan_or_infinity_in_the_file_names_its_line(value: str, problem: str) -> None:
    message = _error(f"x,y\n1,2\n\n# c\n3,{value}\n4,5\n")
    assert message.startswith("line 5: y = "), message
    assert re.search(problem, message), message


def test_too_large_value_in_the_file_names_its_line() -> None:
    message = _error("1,2\n3,4\n5e200,6\n")
    assert message.startswith("line 3: x = "), message
    assert "too large" in message


def test_bad_line_in_a_long_file_is_named(tmp_path: Path) -> None:
    lines = ["x,y"] + [f"{i},{2 * i}" for i in range(5000)]
    lines[4321] = "4320,nan"
    path = _write(tmp_path, "\n".join(lines) + "\n")
    with pytest.raises(DataError) as caught:
        read_csv(path)
    message = str(caught.value)
    assert str(path) in message
    assert "line 4322: y = nan" in message


def test_read_csv_errors_name_the_file_and_line(tmp_path: Path) -> None:
    path = _write(tmp_path, "x,y\n1,2\n3,oops\n")
    with pytest.raises(DataError) as caught:
        read_csv(path)
    message = str(caught.value)
    assert str(path) in message and "line 3" in message and "'oops'" in message


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n", "  \n# c\n\n"])
def test_file_without_points_is_refused(tmp_path: Path, text: str) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(DataError, match="no data points"):
        read_csv(path)


@pytest.mark.parametrize("text", ["x,y\n", "x,y", "x,y\n\n\n", "x\ty\n"])
def test_header_only_file_is_refused(tmp_path: Path, text: str) -> None:
    with pytest.raises(DataError, match="header but no data"):
        read_csv(_write(tmp_path, text))


def test_header_followed_only_by_comments_is_refused_without_warnings(tmp_path: Path) -> None:
    # A header, then a comment line and no points: a DataError, not a stray warning
    # (pytest turns warnings into errors, and the app would print one to the console).
    with pytest.raises(DataError, match="no data points"):
        read_csv(_write(tmp_path, "x,y\n# points will follow\n"))


def test_missing_file_is_a_data_error(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.csv"
    with pytest.raises(DataError, match="no such file") as caught:
        read_csv(path)
    assert str(path) in str(caught.value)


def test_folder_is_a_data_error(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="folder") as caught:
        read_csv(tmp_path)
    assert str(tmp_path) in str(caught.value)


@pytest.mark.parametrize(
    "garbage",
    [bytes(range(128, 256)) * 4, b"\xff\xfe1\x00,\x002\x00\n\x00", b"1,2\n\x80\x81,3\n"],
    ids=["high-bytes", "utf16", "bad-byte-in-data"],
)
def test_binary_garbage_is_a_data_error(tmp_path: Path, garbage: bytes) -> None:
    path = _write(tmp_path, garbage, "garbage.bin")
    with pytest.raises(DataError, match="UTF-8") as caught:
        read_csv(path)
    assert str(path) in str(caught.value)


# ------------------------------------------------------------------ writing


finite_values = st.floats(-1e100, 1e100, allow_nan=False, allow_infinity=False)
tiny_or_huge = st.sampled_from([5e-324, -5e-324, 2.2250738585072014e-308, 1e-300, 1e100, -1e100])


@FAST
@given(
    st.integers(1, 40).flatmap(
        lambda n: st.tuples(
            st.lists(st.one_of(finite_values, tiny_or_huge), min_size=n, max_size=n),
            st.lists(st.one_of(finite_values, tiny_or_huge), min_size=n, max_size=n),
        )
    )
)
@example(([-0.0, 0.1, 1 / 3, 5e-324], [0.0, -0.0, 1e100, -2.2250738585072014e-308]))
def test_write_then_read_round_trips_bit_for_bit(
    tmp_path_factory: pytest.TempPathFactory, columns: tuple[list[float], list[float]]
) -> None:
    xs, ys = columns
    data = Dataset(xs, ys)
    path = tmp_path_factory.mktemp("roundtrip") / "data.csv"
    write_csv(data, path)
    back = read_csv(path)
    assert back.x.tobytes() == np.asarray(xs, dtype=np.float64).tobytes()
    assert back.y.tobytes() == np.asarray(ys, dtype=np.float64).tobytes()


def test_written_file_has_a_header_and_one_line_per_point(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    write_csv(Dataset.tutorial(), path)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 4
    assert not any(_is_float(field) for field in lines[0].split(","))
    assert [tuple(map(float, line.split(","))) for line in lines[1:]] == [
        (1.0, 2.0),
        (2.0, 4.0),
        (3.0, 6.0),
    ]


def _is_float(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def test_write_replaces_an_existing_file(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("old,content\n1,1\n", encoding="utf-8")
    write_csv(Dataset.tutorial(), path)
    assert read_csv(path) == Dataset.tutorial()
    assert sorted(os.listdir(tmp_path)) == ["t.csv"]


def test_write_into_missing_folder_raises_and_leaves_nothing(tmp_path: Path) -> None:
    target = tmp_path / "no" / "such" / "folder" / "t.csv"
    with pytest.raises(OSError):
        write_csv(Dataset.tutorial(), target)
    assert os.listdir(tmp_path) == []


def test_write_onto_a_folder_raises_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    folder = tmp_path / "taken"
    folder.mkdir()
    with pytest.raises(OSError):
        write_csv(Dataset.tutorial(), folder)
    assert os.listdir(tmp_path) == ["taken"]
    assert os.listdir(folder) == []


def test_failing_write_keeps_the_old_file_and_removes_the_temporary(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes(b"x,y\n1,2\n")

    def write_then_fail(stream: BinaryIO) -> None:
        stream.write(b"x,y\n9,9\n" * 1000)
        raise RuntimeError("interrupted halfway")

    with pytest.raises(RuntimeError, match="interrupted halfway"):
        atomic_write(path, write_then_fail)
    assert path.read_bytes() == b"x,y\n1,2\n"
    assert os.listdir(tmp_path) == ["t.csv"]


def test_failing_write_with_os_error_names_the_target(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes(b"x,y\n1,2\n")

    def disk_full(stream: BinaryIO) -> None:
        stream.write(b"x,y\n")
        raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(OSError) as caught:
        atomic_write(path, disk_full)
    assert caught.value.errno == errno.ENOSPC
    assert caught.value.filename == str(path)
    assert path.read_bytes() == b"x,y\n1,2\n"
    assert not [name for name in os.listdir(tmp_path) if name.endswith(".tmp")]
    assert os.listdir(tmp_path) == ["t.csv"]


def test_atomic_write_writes_the_callbacks_bytes(tmp_path: Path) -> None:
    path = tmp_path / "blob"
    atomic_write(path, lambda stream: stream.write(b"\x00\x01payload"))
    assert path.read_bytes() == b"\x00\x01payload"
    assert os.listdir(tmp_path) == ["blob"]


# ------------------------------------------------------------------ size


def test_million_row_file_loads(tmp_path: Path) -> None:
    n = 1_000_000
    path = tmp_path / "big.csv"
    path.write_text("x,y\n" + "".join(f"{i}.5,{-3 * i}\n" for i in range(n)), encoding="utf-8")
    data = read_csv(path)
    i = np.arange(n, dtype=np.float64)
    assert data.size == n
    assert np.array_equal(data.x, i + 0.5)
    assert np.array_equal(data.y, -3.0 * i)
    assert data.x[-1] == 999_999.5 and data.y[-1] == -2_999_997.0
