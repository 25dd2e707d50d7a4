"""The search tree, drawn live or loaded from a finished run: each try coloured by its score
on the examples to check with, labelled with what made it, the path to the best try
highlighted; zoom with the wheel, pan by dragging."""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QPainter, QPalette, QPen, QWheelEvent
from PySide6.QtWidgets import QGraphicsEllipseItem, QGraphicsScene, QGraphicsSimpleTextItem, QGraphicsView

from debop_desktop.core import messages
from debop_desktop.core.optimizer.report import RunView

NODE, X_GAP, Y_GAP = 18.0, 90.0, 30.0
MIN_SCALE = 0.35  # smaller than this, nodes and labels are no longer legible
MAX_SCALE = 1.6  # a small tree is shown larger, not lost in the middle of the view
LARGE_TREE = 500  # above this many nodes, drop antialiasing to keep redraws quick
_NODE_PEN = QPen(QColor("#333333"), 1)
_RACED_PEN = QPen(QColor("#333333"), 1, Qt.PenStyle.DashLine)
_BEST_PEN = QPen(QColor("#f2b134"), 3)
_EDGE_PEN = QPen(QColor("#999999"), 1)
_PATH_PEN = QPen(QColor("#2f5d8a"), 3)


@dataclass
class _TreeNode:
    id: int
    parent: int | None
    operator: str
    reward: float | None = None
    raced_out: bool = False
    accuracy: float | None = None
    children: list[int] = field(default_factory=list)


def reward_colour(reward: float | None, low: float, high: float) -> QColor:
    if reward is None:
        return QColor("#b8b8b8")
    t = 0.5 if high <= low else (reward - low) / (high - low)
    return QColor.fromHsvF(0.33 * max(0.0, min(1.0, t)), 0.65, 0.9)  # red (worst) → green (best)


class SearchTreeView(QGraphicsView):
    node_clicked = Signal(int)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        scene = QGraphicsScene(self)
        scene.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.NoIndex)  # many items move on each redraw
        self.setScene(scene)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.BoundingRectViewportUpdate)
        self.nodes: dict[int, _TreeNode] = {}
        self.best: int | None = None
        self.user_zoomed = False  # until the person zooms, the whole tree is kept in view
        self._items: dict[int, tuple] = {}
        self._drawn: dict[int, tuple] = {}  # what each node was last drawn as
        self._redraw = QTimer(self)
        self._redraw.setSingleShot(True)
        self._redraw.setInterval(100)  # coalesce bursts (a resume replays hundreds of nodes)
        self._redraw.timeout.connect(self.rebuild)
        self.setToolTip(messages.TRIES_EXPLAINED)

    def clear_tree(self) -> None:
        self.user_zoomed = False
        self._items.clear()
        self._drawn.clear()
        self.nodes.clear()
        self.best = None
        self.scene().clear()
        self.viewport().update()  # the empty pane's sentence comes back

    def add_node(self, node_id: int, parent_id: int | None, operator: str) -> None:
        self.nodes[node_id] = _TreeNode(node_id, parent_id, operator)
        if parent_id in self.nodes:
            self.nodes[parent_id].children.append(node_id)
        self._redraw.start()

    def score_node(self, node_id: int, reward: float, raced_out: bool, accuracy: float | None = None) -> None:
        if node_id in self.nodes:
            node = self.nodes[node_id]
            node.reward, node.raced_out, node.accuracy = reward, raced_out, accuracy
            self._redraw.start()

    def load_run(self, view: RunView) -> None:
        """Draw a recorded run's whole tree at once (a finished run, after a restart)."""
        self.clear_tree()
        for n in view.nodes:
            self.add_node(n.id, n.parent_id, n.operator)
            if n.reward is not None:
                self.score_node(n.id, n.reward, n.raced_out, n.dev_accuracy)
        if view.best_node_id in self.nodes:
            self.best = view.best_node_id
        self._redraw.stop()
        self.rebuild()

    def set_best(self, node_id: int) -> None:
        self.best = node_id
        self._redraw.start()

    def rebuild(self) -> None:
        """Lay the forest out left to right (depth) and top to bottom (leaf order). Items are
        kept between redraws and only moved or recoloured: creating 2,000 of them each time
        blocked the UI thread for about 95 ms."""
        positions = self._layout()
        best_path = self._path_to_best()
        rewards = [n.reward for n in self.nodes.values() if n.reward is not None]
        low, high = (min(rewards), max(rewards)) if rewards else (0.0, 1.0)
        scene = self.scene()
        self.setRenderHint(QPainter.RenderHint.Antialiasing, len(self.nodes) <= LARGE_TREE)
        for node in self.nodes.values():
            p = positions[node.id]
            items = self._items.get(node.id)
            if items is None:
                items = self._create_items(node)
            ellipse, label, edge = items
            is_best, on_path = node.id == self.best, node.id in best_path
            colour = reward_colour(node.reward, low, high).rgb()
            parent = positions.get(node.parent) if node.parent is not None else None
            # the parent's place too: when a sibling is added the parent moves, and so must this edge
            state = (p.x(), p.y(), parent.x() if parent else None, parent.y() if parent else None, colour,
                     is_best, on_path, node.raced_out, node.reward)
            if self._drawn.get(node.id) == state:
                continue  # nothing about this node changed: no Qt calls at all
            self._drawn[node.id] = state
            ellipse.setRect(QRectF(p.x() - NODE / 2, p.y() - NODE / 2, NODE, NODE))
            ellipse.setBrush(QBrush(QColor(colour)))
            ellipse.setPen(_BEST_PEN if is_best else (_RACED_PEN if node.raced_out else _NODE_PEN))
            if node.reward is not None:
                ellipse.setToolTip(_tooltip(node))
            label.setPos(p.x() - NODE / 2, p.y() + NODE / 2)
            if edge is not None and node.parent in positions:
                a = positions[node.parent]
                edge.setLine(a.x(), a.y(), p.x(), p.y())
                edge.setPen(_PATH_PEN if on_path else _EDGE_PEN)
        scene.setSceneRect(scene.itemsBoundingRect().adjusted(-20, -20, 20, 20))
        if not self.user_zoomed:
            self._fit(positions)

    def _fit(self, positions: dict[int, QPointF]) -> None:
        """Show the whole tree while it stays legible; past that, keep nodes readable and
        centre on the best one (the person can zoom out with the wheel)."""
        rect = self.scene().sceneRect()
        view = self.viewport()
        scale = min(MAX_SCALE, view.width() / max(rect.width(), 1), view.height() / max(rect.height(), 1))
        self.resetTransform()
        if scale >= MIN_SCALE:
            self.scale(scale, scale)
            self.centerOn(rect.center())
            return
        self.scale(MIN_SCALE, MIN_SCALE)
        focus = positions.get(self.best) if self.best is not None else None
        self.centerOn(focus or rect.topLeft())

    def _layout(self) -> dict[int, QPointF]:
        positions: dict[int, QPointF] = {}
        next_row = [0.0]

        def place(node_id: int, depth: int) -> float:
            node = self.nodes[node_id]
            if node.children:
                ys = [place(c, depth + 1) for c in node.children]
                y = sum(ys) / len(ys)
            else:
                y = next_row[0] * Y_GAP
                next_row[0] += 1
            positions[node_id] = QPointF(depth * X_GAP, y)
            return y

        for root in [n.id for n in self.nodes.values() if n.parent is None]:
            place(root, 0)
            next_row[0] += 0.6  # a little space between trees
        return positions

    def _create_items(self, node: _TreeNode):
        scene = self.scene()
        edge = None
        if node.parent is not None:
            edge = scene.addLine(0, 0, 0, 0)
            edge.setZValue(-1)
        ellipse = QGraphicsEllipseItem()
        ellipse.setData(0, node.id)
        ellipse.setToolTip(_tooltip(node))
        scene.addItem(ellipse)
        label = QGraphicsSimpleTextItem(messages.OPERATOR_NAMES.get(node.operator, node.operator))
        font = label.font()
        font.setPointSizeF(max(6.0, font.pointSizeF() * 0.85))
        label.setFont(font)
        label.setBrush(self.palette().color(QPalette.ColorRole.Text))  # readable on a dark palette too
        scene.addItem(label)
        self._items[node.id] = (ellipse, label, edge)
        return self._items[node.id]

    def _path_to_best(self) -> set[int]:
        path, current = set(), self.best
        while current is not None and current in self.nodes:
            path.add(current)
            current = self.nodes[current].parent
        return path

    def mousePressEvent(self, event) -> None:  # noqa: N802
        item = self.itemAt(event.position().toPoint())
        if isinstance(item, QGraphicsEllipseItem) and item.data(0) is not None:
            self.node_clicked.emit(int(item.data(0)))
        super().mousePressEvent(event)

    def paintEvent(self, event) -> None:  # noqa: N802
        super().paintEvent(event)
        if not self.nodes:  # an empty white pane says nothing; say what will appear in it
            painter = QPainter(self.viewport())
            painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
            painter.drawText(self.viewport().rect().adjusted(16, 16, -16, -16),
                             int(Qt.AlignmentFlag.AlignCenter) | int(Qt.TextFlag.TextWordWrap), messages.TREE_EMPTY)
            painter.end()

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802
        factor = 1.15 if event.angleDelta().y() > 0 else 1 / 1.15
        self.user_zoomed = True
        self.scale(factor, factor)


def _tooltip(node: _TreeNode) -> str:
    """Plain words first; the search's own terms on a second line."""
    made = messages.OPERATOR_NAMES.get(node.operator, node.operator)
    if node.reward is None:
        return messages.TRY_TOOLTIP.format(id=node.id, made=made, acc=messages.TRY_NOT_SCORED, early="")
    acc = "" if node.accuracy is None else f"{node.accuracy:.0%} right"
    early = messages.TRY_STOPPED_EARLY if node.raced_out else ""
    return (messages.TRY_TOOLTIP.format(id=node.id, made=made, acc=acc, early=early) + "\n"
            + messages.TRY_TOOLTIP_TECHNICAL.format(operator=node.operator, reward=f"{node.reward:.2f}"))
