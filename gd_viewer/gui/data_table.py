"""The data points as an editable table of (x, y) rows, whose bad cells are marked."""

from __future__ import annotations

import math

from PySide6.QtCore import QSignalBlocker
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QHeaderView, QTableWidget, QTableWidgetItem, QWidget

from gd_viewer.core.data import MAX_ABS_VALUE, DataError, Dataset
from gd_viewer.gui.number_input import NumberDelegate

_BAD_CELL = QBrush(QColor("#ffd6d6"))


class DataTable(QTableWidget):
    """Rows of (x, y). :meth:`check` reads every cell, marks the bad ones in red with the
    reason in their tooltip, and gives the data set they make (None while one is bad).

    Its setters never emit ``itemChanged``; the user's edits do.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, 2, parent)
        self.setObjectName("dataTable")
        self.setAccessibleName(self.tr("Data points"))
        self.setHorizontalHeaderLabels([self.tr("x"), self.tr("y")])
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.setItemDelegate(NumberDelegate(self))
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.setToolTip(self.tr("Double-click a cell, or select it and type, to edit a value."))
        self._edit_triggers = self.editTriggers()
        self._marked: set[tuple[int, int]] = set()  # the cells shown in red

    def show_points(self, dataset: Dataset, rows: int) -> None:
        """Show the first ``rows`` points of ``dataset``, none marked."""
        xs, ys = dataset.x[:rows].tolist(), dataset.y[:rows].tolist()
        with QSignalBlocker(self):
            self.setUpdatesEnabled(False)
            self.setRowCount(0)  # faster than clearContents()
            self.setRowCount(len(xs))
            for row, (x, y) in enumerate(zip(xs, ys, strict=True)):
                self.setItem(row, 0, QTableWidgetItem(repr(x)))
                self.setItem(row, 1, QTableWidgetItem(repr(y)))
            self.setUpdatesEnabled(True)
        self._marked = set()

    def check(self) -> tuple[Dataset | None, list[str]]:
        """Read every cell and mark the bad ones: the data set (None if any cell is bad or
        there is no row) and every problem, one message each, top to bottom."""
        columns: tuple[list[float], list[float]] = ([], [])
        marks: dict[tuple[int, int], str] = {}
        for row in range(self.rowCount()):
            for column, values in enumerate(columns):
                value, message = self._read_cell(row, column)
                values.append(value)
                if message:
                    marks[row, column] = message
        errors = list(marks.values())
        if not columns[0]:
            errors.append(self.tr("At least one data point is needed."))
        dataset = None if errors else Dataset(*columns)  # every cell passed its checks
        with QSignalBlocker(self):  # a new background is an itemChanged too
            for row, column in self._marked | set(marks):
                if (item := self.item(row, column)) is not None:
                    message = marks.get((row, column), "")
                    item.setBackground(_BAD_CELL if message else QBrush())
                    item.setToolTip(message)
        self._marked = set(marks)
        return dataset, errors

    def add_point(self) -> None:
        """Add a row after the last that continues the data (see :meth:`next_point`) and
        select it, so that removing a point takes it away again."""
        row = self.rowCount()
        x, y = self.next_point()
        with QSignalBlocker(self):
            self.insertRow(row)
            self.setItem(row, 0, QTableWidgetItem(repr(x)))
            self.setItem(row, 1, QTableWidgetItem(repr(y)))
        self.setCurrentCell(row, 0)

    def remove_points(self) -> None:
        """Remove the selected rows, or else the last row."""
        rows = {index.row() for index in self.selectedIndexes()}
        for row in sorted(rows or {self.rowCount() - 1}, reverse=True):
            self.removeRow(row)

    def next_point(self) -> tuple[float, float]:
        """x one more than the last x, y continuing the last step in y (or the tutorial's)."""
        rows = self.rowCount()
        x1, y1 = (self._read_cell(rows - 1, c)[0] for c in (0, 1)) if rows else (0.0, 0.0)
        y0 = self._read_cell(rows - 2, 1)[0] if rows > 1 else y1 - 2.0  # y = 2x: tutorial
        x, y = float(f"{x1 + 1:.12g}"), float(f"{2 * y1 - y0:.12g}")  # 0.5, not 0.49999…
        return (x, y) if math.isfinite(x + y) else (float(rows + 1), 0.0)  # after a bad cell

    def set_editable(self, editable: bool) -> None:
        """Let the user edit the cells, or not."""
        never = QTableWidget.EditTrigger.NoEditTriggers
        self.setEditTriggers(self._edit_triggers if editable else never)

    def _read_cell(self, row: int, column: int) -> tuple[float, str]:
        """A cell's value (NaN when bad), and the message for a bad one."""
        item = self.item(row, column)
        name, text = "xy"[column], item.text().strip() if item else ""
        if not text:
            return math.nan, self.tr("Row {row}: {name} is empty.").format(row=row + 1, name=name)
        try:
            value = float(text)
        except ValueError:
            message = self.tr("Row {row}: {name} = {text} is not a number.")
            return math.nan, message.format(row=row + 1, name=name, text=repr(text))
        if math.isfinite(value) and abs(value) <= MAX_ABS_VALUE:
            return value, ""
        try:  # the core words the problem: NaN, infinite, too large
            Dataset([value], [0.0]) if column == 0 else Dataset([0.0], [value])
        except DataError as error:
            detail = str(error).split(": ", 1)[1]
            return math.nan, self.tr("Row {row}: {detail}.").format(row=row + 1, detail=detail)
        return value, ""  # pragma: no cover - the core refuses every such value
