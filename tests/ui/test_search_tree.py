"""The tree of tries: edges follow their parent when it moves, a finished run loads whole."""

from debop_desktop.core import messages
from debop_desktop.ui.search_tree import SearchTreeView


def edge_start(view, node_id):
    line = view._items[node_id][2].line()
    return round(line.x1(), 1), round(line.y1(), 1)


def centre(view, node_id):
    rect = view._items[node_id][0].rect()
    return round(rect.center().x(), 1), round(rect.center().y(), 1)


def test_an_edge_follows_its_parent_when_a_sibling_moves_it(qtbot):
    view = SearchTreeView()
    qtbot.addWidget(view)
    view.add_node(1, None, "seed")
    view.add_node(2, 1, "prune")
    view.rebuild()
    assert edge_start(view, 2) == centre(view, 1)
    view.add_node(3, 1, "simplify")  # the parent moves down, between its two children
    view.score_node(3, 0.9, False, 0.75)
    view.rebuild()
    assert edge_start(view, 2) == centre(view, 1) == edge_start(view, 3)
    label = view._items[3][1].text()
    assert label == messages.OPERATOR_NAMES["simplify"] and "75% right" in view._items[3][0].toolTip()
