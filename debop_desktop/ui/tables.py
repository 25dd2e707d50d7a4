"""A read-only table model over plain tuples, and a table view whose long text columns give
way (elided, full text in the tooltip) so the short columns beside them stay on screen."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractItemModel, QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

from debop_desktop.ui.plain_text import literal

_Index = QModelIndex | QPersistentModelIndex
MAX_COLUMN = 220  # a short column never grows past this, however long one of its values is


class RowsModel(QAbstractTableModel):
    """A read-only table over a list of tuples; `keys` holds what each row stands for."""

    def __init__(self, headers: list[str], parent: Any = None, tooltips: list[str] | None = None) -> None:
        super().__init__(parent)
        self.headers, self.rows, self.keys = headers, [], []
        self.tooltips = tooltips or []

    def set_rows(self, rows: list[tuple], keys: list[Any]) -> None:
        self.beginResetModel()
        self.rows, self.keys = rows, keys
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.headers):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.headers[section]
        if role == Qt.ItemDataRole.ToolTipRole and section < len(self.tooltips):
            return self.tooltips[section] or None
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if index.isValid() and role == Qt.ItemDataRole.DisplayRole:
            return str(self.rows[index.row()][index.column()])
        if index.isValid() and role == Qt.ItemDataRole.ToolTipRole:  # a question may hold "<h1>"
            return literal(str(self.rows[index.row()][index.column()]))
        return None


MIN_STRETCH = 120  # a long text column never shrinks below this: enough to recognise a name


class GivingTable(QTableView):
    """A table whose `stretch` columns share the spare width, down to MIN_STRETCH each (then
    the table scrolls rather than squeezing them to nothing)."""

    def __init__(self, stretch: tuple[int, ...]) -> None:
        super().__init__()
        self.stretch = stretch

    def share_width(self) -> None:
        model = self.model()
        if model is None or not self.stretch:
            return
        fixed = sum(self.columnWidth(c) for c in range(model.columnCount()) if c not in self.stretch)
        each = max(MIN_STRETCH, (self.viewport().width() - fixed) // len(self.stretch))
        for column in self.stretch:
            self.setColumnWidth(column, each)

    def resizeEvent(self, event: Any) -> None:  # noqa: N802
        super().resizeEvent(event)
        self.share_width()


def make_table(model: QAbstractItemModel, stretch: tuple[int, ...] = ()) -> QTableView:
    """Columns in `stretch` share the spare width and are elided when narrow (never below
    MIN_STRETCH); the others fit their contents up to MAX_COLUMN (the person may widen them),
    so they stay on screen."""
    view = GivingTable(stretch)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setWordWrap(False)
    view.setTextElideMode(Qt.TextElideMode.ElideRight)
    view.verticalHeader().hide()
    header = view.horizontalHeader()
    header.setStretchLastSection(False)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)

    def fit() -> None:
        for column in range(model.columnCount()):
            if column not in stretch:
                view.resizeColumnToContents(column)
                view.setColumnWidth(column, min(view.columnWidth(column), MAX_COLUMN))
        view.share_width()

    model.modelReset.connect(fit)
    fit()
    return view
