"""What a person can read in a window: every visible widget's own text (labels, buttons, check
boxes, group box titles, tabs, combo boxes, line edits, list items, table headers and cells,
text browsers), each with the widget that shows it. Tooltips are not visible text."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QGraphicsSimpleTextItem,
    QGraphicsTextItem,
    QGraphicsView,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTabBar,
    QTextEdit,
    QWidget,
)


def describe(widget: QWidget) -> str:
    """A widget as a failure message names it: its class, object name and the chain of parents."""
    chain, w = [], widget
    while w is not None and len(chain) < 4:
        chain.append(f"{type(w).__name__}{'#' + w.objectName() if w.objectName() else ''}")
        w = w.parentWidget()
    return " < ".join(chain)


def _item_texts(view: QAbstractItemView) -> list[str]:
    model = view.model()
    if model is None:
        return []
    texts, root = [], QModelIndex()
    try:
        columns = model.columnCount(root)
    except TypeError:  # a list model keeps its column count private: one column
        columns = 1
    for orientation in (Qt.Orientation.Horizontal, Qt.Orientation.Vertical):
        count = columns if orientation == Qt.Orientation.Horizontal else model.rowCount(root)
        header = getattr(view, "horizontalHeader" if orientation == Qt.Orientation.Horizontal else "verticalHeader",
                         None)
        if header is not None and header().isVisible():
            texts += [str(model.headerData(i, orientation) or "") for i in range(count)]
    for row in range(min(model.rowCount(root), 200)):
        for column in range(columns):
            texts.append(str(model.data(model.index(row, column)) or ""))
    return texts


def visible_texts(root: QWidget) -> list[tuple[str, str]]:
    """(widget, text) for every visible widget under `root` that shows text."""
    found: list[tuple[QWidget, str]] = []
    for w in [root, *root.findChildren(QWidget)]:
        if not w.isVisible():
            continue
        if isinstance(w, QLabel | QAbstractButton | QLineEdit):
            found.append((w, w.text()))
        elif isinstance(w, QGroupBox):
            found.append((w, w.title()))
        elif isinstance(w, QTabBar):
            found += [(w, w.tabText(i)) for i in range(w.count())]
        elif isinstance(w, QComboBox):
            found += [(w, w.itemText(i)) for i in range(w.count())]
        elif isinstance(w, QTextEdit | QPlainTextEdit):
            found.append((w, w.toPlainText()))
        elif isinstance(w, QGraphicsView) and w.scene() is not None:  # the labels drawn in a tree of tries
            found += [(w, i.text() if isinstance(i, QGraphicsSimpleTextItem) else i.toPlainText())
                      for i in w.scene().items() if i.isVisible()
                      and isinstance(i, QGraphicsSimpleTextItem | QGraphicsTextItem)]
        if isinstance(w, QAbstractItemView) and not isinstance(w, QComboBox):
            found += [(w, t) for t in _item_texts(w)]
    return [(describe(w), t) for w, t in found if t]
