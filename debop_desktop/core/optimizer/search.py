"""The Monte Carlo Tree Search forest: one tree per seed demonstration, UCT selection,
no random rollout, the child's dev reward backed up to its root."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from debop_desktop.core.optimizer.demos import Demonstration


@dataclass(eq=False)
class Node:
    id: int
    demo: Demonstration
    tree_index: int
    operator: str
    iteration: int
    parent: Node | None = None
    children: list[Node] = field(default_factory=list)
    visits: int = 0
    value_sum: float = 0.0
    reward: float | None = None  # its own dev reward
    accuracy: float | None = None
    seconds: float | None = None
    raced_out: bool = False
    dead_ends: int = 0  # expansions that produced no new child
    tried: set[str] = field(default_factory=set)  # operators already applied to this node
    model_calls: int = 0  # calls spent to make and score it (recorded calls count too, on resume)

    @property
    def depth(self) -> int:
        return 0 if self.parent is None else self.parent.depth + 1

    @property
    def mean(self) -> float:
        return self.value_sum / self.visits if self.visits else 0.0


def uct(child: Node, parent_visits: int, c: float) -> float:
    """mean reward + c · sqrt(2 ln N_parent / N); unvisited children first."""
    if child.visits == 0:
        return math.inf
    return child.mean + c * math.sqrt(2 * math.log(max(parent_visits, 1)) / child.visits)


def expandable(node: Node, max_children: int, n_operators: int = 6) -> bool:
    return (len(node.children) + node.dead_ends < max_children and len(node.tried) < n_operators
            and not node.raced_out)


def select(roots: list[Node], c: float, max_children: int) -> Node | None:
    """Walk down from the forest's virtual root by UCT to a node that can still grow.
    Ties go to the earlier node, so the same tree always gives the same choice."""
    level, parent_visits = roots, sum(r.visits for r in roots)
    while level:
        candidates = [n for n in level if _has_room(n, max_children)]
        if not candidates:
            return None
        node = max(candidates, key=lambda n: uct(n, parent_visits, c))
        if expandable(node, max_children):
            return node
        level, parent_visits = node.children, node.visits
    return None


def _has_room(node: Node, max_children: int) -> bool:
    return expandable(node, max_children) or any(_has_room(c, max_children) for c in node.children)


def backpropagate(node: Node, reward: float) -> None:
    current: Node | None = node
    while current is not None:
        current.visits += 1
        current.value_sum += reward
        current = current.parent


def best_node(nodes: list[Node]) -> Node | None:
    """Highest dev reward among candidates evaluated on the whole dev sample."""
    scored = [n for n in nodes if n.reward is not None and not n.raced_out]
    return max(scored, key=lambda n: (n.reward, -n.id)) if scored else None


def reward(config: Any, accuracy: float, seconds: float, typical_seconds: float | None,
           tokens_per_second: float) -> float:
    """The paper's α·acc + β·exp(-λ t) (t in seconds) when `relative_time` is off. When on,
    t is divided by the run's typical (median) answer time and the time term is at most
    `speed_cap`, so speed breaks ties and never outweighs a question answered right."""
    c = config
    if not c.relative_time:
        return c.reward_alpha * accuracy + c.reward_beta * math.exp(-c.reward_lambda * seconds)
    typical = max(typical_seconds or 0.0, 1.0 / tokens_per_second)
    return c.reward_alpha * accuracy + min(c.reward_beta, c.speed_cap) * math.exp(
        -c.reward_lambda * seconds / typical)
