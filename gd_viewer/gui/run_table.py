"""The table of pinned runs: what was chosen and where each run ended, one row a run."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from functools import partial

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QFont, QKeyEvent, QPainter, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QWidget,
)

from gd_viewer.core.descent import Status
from gd_viewer.core.pins import PinnedRun

#: Numbers are right-aligned, as in the data table.
ALIGN_NUMBERS = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
#: Side of a colour swatch, in pixels.
SWATCH = 14
#: What a cell shows for a run that never came within the tolerance of the optimum.
NEVER = "—"


class Column(enum.IntEnum):
    """The table's columns, in order."""

    # The remove button sits by the colour, where it is seen without scrolling.
    COLOUR = 0
    REMOVE = 1
    LR = 2
    INITIAL_W = 3
    INITIAL_B = 4
    FINAL_W = 5
    FINAL_B = 6
    FINAL_COST = 7
    EPOCHS = 8
    TO_TOLERANCE = 9
    STATUS = 10


def number(value: float) -> str:
    """``value`` as the status line prints it: the repr of the Python float."""
    return repr(float(value))


def cost_text(value: float) -> str:
    """A cost to six significant digits."""
    return f"{float(value):.6g}"


def swatch(colour: QColor) -> QPixmap:
    """A small square of ``colour`` with a dark outline (visible for light colours too)."""
    pixmap = QPixmap(SWATCH, SWATCH)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setPen(QColor("#1A1A1A"))
    painter.setBrush(colour)
    painter.drawRect(0, 0, SWATCH - 1, SWATCH - 1)
    painter.end()
    return pixmap


class RunTable(QTableWidget):
    """Pinned runs (and optionally the live one, first, marked "now"), one row each.

    The cells are read-only and selectable. The b columns show only while a row uses
    the line model.

    Signals
    -------
    remove_requested(int)
        The user asked to unpin the pin at this index (of the ``pinned`` given to
        :meth:`set_runs`): with the ✕ button of its row (objectName ``removePin{i}``),
        or with Delete or Backspace on its selected row. The table itself does not
        change: the owner unpins and calls :meth:`set_runs` again.
    """

    remove_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, len(Column), parent)
        self.setObjectName("runTable")
        self.setAccessibleName(self.tr("pinned runs"))
        headers = {
            Column.COLOUR: "",
            Column.REMOVE: "",
            Column.LR: self.tr("lr"),
            Column.INITIAL_W: self.tr("w₀"),
            Column.INITIAL_B: self.tr("b₀"),
            Column.FINAL_W: self.tr("final w"),
            Column.FINAL_B: self.tr("final b"),
            Column.FINAL_COST: self.tr("final cost"),
            Column.EPOCHS: self.tr("epochs"),
            Column.TO_TOLERANCE: self.tr("to tol."),
            Column.STATUS: self.tr("status"),
        }
        self.setHorizontalHeaderLabels([headers[column] for column in Column])
        tips = {
            Column.TO_TOLERANCE: self.tr(
                "The first epoch whose parameters are within the tolerance of the optimum "
                "(|w − w*|, or the distance of (w, b) to (w*, b*)); — if none was."
            ),
            Column.EPOCHS: self.tr("Epochs run."),
            Column.FINAL_COST: self.tr("The cost after the last epoch run."),
        }
        for column, tip in tips.items():
            heading = self.horizontalHeaderItem(column)
            if heading is not None:
                heading.setToolTip(tip)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.verticalHeader().hide()
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(Column.STATUS, QHeaderView.ResizeMode.Stretch)
        self.setAlternatingRowColors(True)
        self._has_live = False
        self._pins = 0
        self.set_runs((), ())

    # ------------------------------------------------------------ setters

    def set_runs(
        self,
        pinned: Sequence[PinnedRun],
        colours: Sequence[QColor],
        live: PinnedRun | None = None,
    ) -> None:
        """Show ``live`` (when given) and then each of ``pinned`` in its colour.

        Raises
        ------
        ValueError
            ``colours`` is not as long as ``pinned``.
        """
        if len(colours) != len(pinned):
            raise ValueError(f"{len(pinned)} pinned runs but {len(colours)} colours")
        rows: list[tuple[PinnedRun, QColor | None]] = []
        if live is not None:
            rows.append((live, None))
        rows.extend(zip(pinned, colours, strict=True))
        selected = self._selected_row()
        self._has_live = live is not None
        self._pins = len(pinned)
        for row in range(self.rowCount()):
            old = self.cellWidget(row, Column.REMOVE)
            if old is not None:
                # Deleted later, by the view: until then it must not be found by its
                # name nor emit for an index that may mean another pin now.
                old.setObjectName("")
                old.blockSignals(True)
        self.setRowCount(0)
        self.setRowCount(len(rows))
        for row, (run, colour) in enumerate(rows):
            self._fill_row(row, run, colour)
            if colour is not None:
                self.setCellWidget(
                    row, Column.REMOVE, self._remove_button(row - int(self._has_live))
                )
        lines = any(run.settings.model != "origin" for run, _ in rows)
        self.setColumnHidden(Column.INITIAL_B, not lines)
        self.setColumnHidden(Column.FINAL_B, not lines)
        # The row selected before stays selected (the next one after its pin was
        # removed), so Delete pressed again unpins the next run.
        if selected is not None and rows:
            self.selectRow(min(selected, len(rows) - 1))

    def pin_index(self, row: int) -> int | None:
        """The index among the pins of the run in ``row`` (None for the live run's row)."""
        index = row - int(self._has_live)
        return index if 0 <= index < self._pins else None

    def _selected_row(self) -> int | None:
        rows = self.selectionModel().selectedRows()
        return rows[0].row() if rows else None

    # ------------------------------------------------------------ rows

    def _fill_row(self, row: int, run: PinnedRun, colour: QColor | None) -> None:
        if colour is None:
            first = self._cell(self.tr("now"), Qt.AlignmentFlag.AlignCenter)
            font = QFont(first.font())
            font.setBold(True)
            first.setFont(font)
            first.setToolTip(self.tr("The run on show now"))
        else:
            first = self._cell("")
            first.setData(Qt.ItemDataRole.DecorationRole, swatch(colour))
            first.setToolTip(run.label)
        self.setItem(row, Column.COLOUR, first)
        line = run.settings.model != "origin"
        initial, final = run.initial_params, run.final_params
        tolerance = run.epochs_to_tolerance
        cells = {
            Column.LR: number(run.lr),
            Column.INITIAL_W: number(initial[0]),
            Column.INITIAL_B: number(initial[1]) if line else "",
            Column.FINAL_W: number(final[0]),
            Column.FINAL_B: number(final[1]) if line else "",
            Column.FINAL_COST: cost_text(run.final_cost),
            Column.EPOCHS: str(run.epochs),
            Column.TO_TOLERANCE: NEVER if tolerance is None else str(tolerance),
        }
        for column, text in cells.items():
            self.setItem(row, column, self._cell(text, ALIGN_NUMBERS))
        to_tolerance = self.item(row, Column.TO_TOLERANCE)
        if to_tolerance is not None:
            to_tolerance.setToolTip(
                self.tr("tolerance {tolerance}").format(tolerance=number(run.tolerance))
            )
        status = self._cell(self._status_text(run))
        status.setToolTip(run.reason)
        self.setItem(row, Column.STATUS, status)
        self.setItem(row, Column.REMOVE, self._cell(""))

    def _status_text(self, run: PinnedRun) -> str:
        if run.status is Status.DIVERGED:
            return self.tr("diverged")
        if run.status is Status.RUNNING:
            return self.tr("running")
        if run.reason and run.epochs < run.settings.epochs:
            return self.tr("stopped early")
        return self.tr("finished")

    @staticmethod
    def _cell(text: str, align: Qt.AlignmentFlag | None = None) -> QTableWidgetItem:
        item = QTableWidgetItem(text)
        item.setFlags(Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled)
        if align is not None:
            item.setTextAlignment(align)
        return item

    def _remove_button(self, index: int) -> QToolButton:
        button = QToolButton()
        button.setObjectName(f"removePin{index}")
        button.setText("✕")
        button.setAutoRaise(True)
        button.setToolTip(self.tr("Unpin this run"))
        button.setAccessibleName(self.tr("Unpin run {number}").format(number=index + 1))
        button.clicked.connect(partial(self._on_remove_button_clicked, index))
        return button

    def _on_remove_button_clicked(self, index: int, _checked: bool = False) -> None:
        self.remove_requested.emit(index)

    # ------------------------------------------------------------ events

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            index = self.pin_index(self.currentRow())
            if index is not None and self.selectionModel().isRowSelected(self.currentRow()):
                event.accept()
                self.remove_requested.emit(index)
                return
        super().keyPressEvent(event)
