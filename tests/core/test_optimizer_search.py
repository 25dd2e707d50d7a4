"""The MCTS arithmetic on hand-built trees."""

import math

from debop_desktop.core.optimizer.demos import Demonstration
from debop_desktop.core.optimizer.search import Node, backpropagate, best_node, select, uct

DEMO = Demonstration("q", (("Answer", "1"),), "1")


def node(i, parent=None, visits=0, value=0.0, reward=None):
    n = Node(i, DEMO, 0, "seed" if parent is None else "prune", i, parent, visits=visits, value_sum=value,
             reward=reward)
    if parent:
        parent.children.append(n)
    return n


def test_uct_formula_and_unvisited_first():
    child = node(1, visits=4, value=2.0)
    assert uct(child, 16, 1.0) == 0.5 + math.sqrt(2 * math.log(16) / 4)
    assert uct(node(2), 16, 1.0) == math.inf


def test_backpropagation_adds_to_every_ancestor():
    root = node(1)
    mid = node(2, root)
    leaf = node(3, mid)
    backpropagate(root, 1.5)
    backpropagate(mid, 1.0)
    backpropagate(leaf, 0.5)
    assert (root.visits, root.value_sum) == (3, 3.0)
    assert (mid.visits, mid.value_sum) == (2, 1.5)
    assert (leaf.visits, leaf.value_sum) == (1, 0.5) and root.mean == 1.0


def test_selection_expands_until_full_then_descends_by_uct():
    a, b = node(1, visits=3, value=2.7), node(2, visits=1, value=0.2)
    assert select([a, b], c=0.1, max_children=2) is a  # low exploration: the better mean wins
    assert select([a, b], c=10.0, max_children=2) is b  # high exploration: the less visited wins
    good, bad = node(3, a, visits=1, value=1.0), node(4, a, visits=1, value=0.1)
    assert select([a], c=0.1, max_children=2) is good  # a is full: descend to its best child
    good.raced_out = True
    assert select([a], c=0.1, max_children=2) is bad
    bad.dead_ends = 2
    assert select([a], c=0.1, max_children=2) is None  # nothing left that can grow


def test_best_node_skips_raced_out_and_prefers_earlier_on_ties():
    x, y, z = node(1, reward=1.5), node(2, reward=1.5), node(3, reward=1.9)
    z.raced_out = True
    assert best_node([x, y, z]) is x
    assert best_node([]) is None
