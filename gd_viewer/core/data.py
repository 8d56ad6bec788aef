"""Datasets of (x, y) points: validation, CSV reading and writing.

Everything the user can type or load passes through :class:`Dataset`, so every
later computation may assume finite float64 arrays of equal, non-zero length.
"""

from __future__ import annotations

import csv
import io
import math
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import ArrayLike, NDArray

from gd_viewer.core.fileio import atomic_write_text

#: Values beyond this magnitude are refused: their squares, summed over millions of
#: points, would approach the float64 limit and the plots could not show them.
MAX_ABS_VALUE = 1e100

FloatArray = NDArray[np.float64]


class DataError(ValueError):
    """Data that cannot be used, with a message that names the problem and where it is."""


@dataclass(frozen=True, eq=False)
class Dataset:
    """Validated data points, stored as one ``(2, n)`` float64 block.

    ``x`` and ``y`` are read-only views of the rows of that block, so the two
    columns travel together and neither can be changed behind the model's back.

    Parameters
    ----------
    x, y
        The point coordinates; anything numpy turns into a 1-d float array.

    Raises
    ------
    DataError
        Empty data, columns of different lengths, a value that is not a number,
        NaN, infinity, or a magnitude beyond ``MAX_ABS_VALUE``; the message names
        the row (1-based) and the column.
    """

    #: The ``(2, n)`` block; one matrix-vector product over it yields Σx² and Σxy at once.
    xy: FloatArray
    x: FloatArray
    y: FloatArray

    def __init__(self, x: ArrayLike, y: ArrayLike) -> None:
        xs = _as_column(x, "x")
        ys = _as_column(y, "y")
        if xs.size != ys.size:
            raise DataError(
                f"x has {xs.size} value{_s(xs.size)} but y has {ys.size}: "
                "every point needs both an x and a y"
            )
        if xs.size == 0:
            raise DataError("there are no data points: at least one (x, y) pair is needed")
        block = np.empty((2, xs.size), dtype=np.float64)
        block[0] = xs
        block[1] = ys
        _check_values(block)
        block.flags.writeable = False
        object.__setattr__(self, "xy", block)
        object.__setattr__(self, "x", block[0])
        object.__setattr__(self, "y", block[1])

    @classmethod
    def tutorial(cls) -> Dataset:
        """The tutorial's points: x = [1, 2, 3], y = [2, 4, 6]."""
        return cls([1.0, 2.0, 3.0], [2.0, 4.0, 6.0])

    @property
    def size(self) -> int:
        """The number of points."""
        return int(self.x.size)

    def __len__(self) -> int:
        return self.size

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Dataset):
            return NotImplemented
        return bool(np.array_equal(self.x, other.x) and np.array_equal(self.y, other.y))

    def __hash__(self) -> int:
        return hash((self.size, self.x[:8].tobytes(), self.y[:8].tobytes()))

    def __repr__(self) -> str:
        return f"Dataset(n={self.size}, x={self.x[:4].tolist()}…, y={self.y[:4].tolist()}…)"

    def with_point(self, index: int, x: float, y: float) -> Dataset:
        """A copy with point ``index`` moved to ``(x, y)``."""
        xs, ys = self.x.copy(), self.y.copy()
        xs[index], ys[index] = x, y
        return Dataset(xs, ys)


def _s(n: int) -> str:
    return "" if n == 1 else "s"


def _as_column(values: ArrayLike, name: str) -> FloatArray:
    if isinstance(values, np.ndarray) and values.dtype == np.float64:
        array = values
    elif isinstance(values, np.ndarray) and values.dtype.kind in "iuf":
        array = values.astype(np.float64)
    elif isinstance(values, np.ndarray) or _holds_a_non_number(values):
        array = _convert_one_by_one(values, name)
    else:
        try:
            array = np.asarray(values, dtype=np.float64)
        except (TypeError, ValueError, OverflowError):
            array = _convert_one_by_one(values, name)
    if array.ndim != 1:
        raise DataError(
            f"{name} must be a flat list of numbers, not an array of shape {array.shape}"
        )
    return array


def _holds_a_non_number(values: ArrayLike) -> bool:
    # numpy turns True into 1.0 and None into NaN; neither is what the user typed.
    return isinstance(values, (list, tuple)) and any(
        v is None or isinstance(v, (bool, np.bool_)) for v in values
    )


def _convert_one_by_one(values: ArrayLike, name: str) -> FloatArray:
    """Find the first entry that is not a number, to name it in the message."""
    if not isinstance(values, Iterable) or isinstance(values, (str, bytes)):
        raise DataError(f"{name} must be a list of numbers, not {values!r}")
    out = []
    for row, value in enumerate(values, start=1):
        if isinstance(value, (bool, np.bool_)) or not isinstance(
            value, (int, float, str, np.number)
        ):
            raise DataError(f"row {row}: {name} = {value!r} is not a number")
        try:
            out.append(float(value))
        except OverflowError:
            raise DataError(
                f"row {row}: {name} = {value!r} is too large: values must lie within "
                f"±{MAX_ABS_VALUE:g}"
            ) from None
        except (TypeError, ValueError):
            raise DataError(f"row {row}: {name} = {value!r} is not a number") from None
    return np.asarray(out, dtype=np.float64)


def _check_values(block: FloatArray) -> None:
    # One cheap reduction proves the common case: a finite sum of squares means every
    # value is finite and far below the limit; only otherwise look value by value.
    with np.errstate(over="ignore", invalid="ignore"):
        total = float(np.dot(block[0], block[0]) + np.dot(block[1], block[1]))
    if math.isfinite(total) and total <= MAX_ABS_VALUE:
        return
    bad = ~np.isfinite(block) | (np.abs(block) > MAX_ABS_VALUE)
    if not bad.any():
        return
    column, index = (int(i[0]) for i in np.nonzero(bad))
    value = float(block[column, index])
    name = "xy"[column]
    if math.isnan(value):
        problem = "is not a number (NaN)"
    elif math.isinf(value):
        problem = "is infinite"
    else:
        problem = f"is too large: values must lie within ±{MAX_ABS_VALUE:g}"
    raise DataError(f"row {index + 1}: {name} = {value!r} {problem}")


# --------------------------------------------------------------------------- CSV


def read_csv(path: str | os.PathLike[str]) -> Dataset:
    """Read two columns, x then y, from a CSV file.

    A header line is optional (any first line that is not two numbers); the
    delimiter is a comma or a tab; blank lines and lines starting with ``#`` are
    skipped. Errors name the line of the file.

    Raises
    ------
    DataError
        The file cannot be read, or a line does not hold two numbers, or the
        values fail :class:`Dataset` validation.
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DataError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise DataError(f"{path}: is a folder, not a CSV file") from None
    except OSError as error:
        raise DataError(f"{path}: cannot be read ({error.strerror or error})") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DataError(f"{path}: is not a text file (not UTF-8)") from None
    try:
        return parse_csv(text)
    except DataError as error:
        raise DataError(f"{path}: {error}") from None


def parse_csv(text: str) -> Dataset:
    """Parse CSV text (see :func:`read_csv`)."""
    lines = text.splitlines()
    first = next((i for i, line in enumerate(lines) if _is_content(line)), None)
    if first is None:
        raise DataError("the file holds no data points")
    delimiter = "\t" if "\t" in lines[first] else ","
    start = first
    if not _all_numbers(lines[first], delimiter):
        start = first + 1  # a header: some field is not a number
    body = lines[start:]
    xy = _fast_parse(body, delimiter)
    if xy is None:
        xy = _careful_parse(body, delimiter, first_line_number=start + 1)
    if xy.shape[1] == 0:
        raise DataError("the file holds a header but no data points")
    try:
        return Dataset(xy[0], xy[1])
    except DataError:
        # Rows of the array are not lines of the file; parse again to name the line.
        _careful_parse(body, delimiter, first_line_number=start + 1, validate=True)
        raise


def _is_content(line: str) -> bool:
    stripped = line.strip()
    return bool(stripped) and not stripped.startswith("#")


def _all_numbers(line: str, delimiter: str) -> bool:
    try:
        for field in line.split(delimiter):
            float(field)
    except ValueError:
        return False
    return True


def _fast_parse(body: list[str], delimiter: str) -> FloatArray | None:
    """numpy's C parser for well-formed files; None when any line is off."""
    if not any(_is_content(line) for line in body):
        return np.empty((2, 0))
    content = "\n".join(body)
    try:
        data = np.loadtxt(
            io.StringIO(content), delimiter=delimiter, comments="#", dtype=np.float64, ndmin=2
        )
    except ValueError:
        return None
    if data.shape[1] != 2:
        return None
    return np.ascontiguousarray(data.T)


def _careful_parse(
    body: Sequence[str], delimiter: str, first_line_number: int, validate: bool = False
) -> FloatArray:
    xs: list[float] = []
    ys: list[float] = []
    for number, line in enumerate(body, start=first_line_number):
        if not _is_content(line):
            continue
        fields = next(csv.reader([line], delimiter=delimiter))
        if len(fields) != 2:
            raise DataError(
                f"line {number}: expected 2 values (x{'' if delimiter == ',' else ' tab'}, y), "
                f"found {len(fields)}: {line.strip()!r}"
            )
        pair = []
        for name, field in zip("xy", fields, strict=True):
            try:
                value = float(field)
            except ValueError:
                raise DataError(
                    f"line {number}: {name} = {field.strip()!r} is not a number"
                ) from None
            if validate and not (math.isfinite(value) and abs(value) <= MAX_ABS_VALUE):
                try:
                    Dataset([value], [0.0]) if name == "x" else Dataset([0.0], [value])
                except DataError as error:
                    detail = str(error).split(": ", 1)[1]
                    raise DataError(f"line {number}: {detail}") from None
            pair.append(value)
        xs.append(pair[0])
        ys.append(pair[1])
    return np.array([xs, ys], dtype=np.float64).reshape(2, -1)


def write_csv(dataset: Dataset, path: str | os.PathLike[str]) -> None:
    """Write the points as ``x,y`` CSV with a header, exactly (shortest round-trip digits).

    The file is replaced atomically: an existing file is never left half-written.
    """
    lines = ["x,y"]
    lines.extend(
        f"{x!r},{y!r}" for x, y in zip(dataset.x.tolist(), dataset.y.tolist(), strict=True)
    )
    atomic_write_text(path, "\n".join(lines) + "\n")
