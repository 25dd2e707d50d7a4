"""The one way a demonstration (and a try that holds one) is drawn as rich text. Everything
from the model or the task is escaped: BIG-Bench questions contain `<path …>` and similar."""

from __future__ import annotations

import html

from debop_desktop.core import messages
from debop_desktop.core.optimizer.demos import Demonstration
from debop_desktop.core.optimizer.export import TunedBehavior
from debop_desktop.core.optimizer.report import NodeView


def demonstration_html(demo: Demonstration, heading: str, facts: str = "", technical: str = "") -> str:
    """`heading` and `facts` are plain text (escaped here); so is every part of `demo`."""
    steps = "".join(f"<li><b>{html.escape(str(k))}</b>: {html.escape(str(v))}</li>" for k, v in demo.steps)
    parts = [f"<h3>{html.escape(heading)}</h3>"]
    if facts:
        parts.append(f"<p>{html.escape(facts)}</p>")
    parts.append(f"<p><b>Question:</b> {html.escape(demo.question)}</p><ol>{steps}</ol>")
    if demo.expected:
        parts.append(f"<p><b>Expected answer:</b> {html.escape(str(demo.expected))}</p>")
    if technical:
        parts.append(f"<p style='color:gray'>{html.escape(technical)}</p>")
    return "".join(parts)


def operator_name(operator: str) -> str:
    return messages.OPERATOR_NAMES.get(operator, operator)


def node_html(node: NodeView, heading: str | None = None) -> str:
    """A try: how it was made, how it did on the examples to check with, and its demonstration.
    The search's own terms (node, operator, reward, visits) are in `node_technical`, for a tooltip."""
    acc = messages.TRY_NOT_SCORED if node.dev_accuracy is None else f"{node.dev_accuracy:.0%} right"
    speed = "" if node.mean_seconds is None else f", {node.mean_seconds:.2f} s per answer"
    stopped = messages.TRY_STOPPED_EARLY if node.raced_out else ""
    facts = messages.TRY_FACTS.format(made=operator_name(node.operator), acc=acc, speed=speed, stopped=stopped)
    return demonstration_html(node.demo, heading or f"Try {node.id}", facts)


def node_technical(node: NodeView) -> str:
    """The try in the search's own terms (plain text, for a tooltip)."""
    return messages.TRY_TECHNICAL.format(
        id=node.id, operator=node.operator, parent="none" if node.parent_id is None else node.parent_id,
        reward="—" if node.reward is None else f"{node.reward:.3f}", visits=node.visits, source=node.source)


def kept_behavior_html(tuned: TunedBehavior) -> str:
    """What the app keeps, as the model receives it: the turns before the question, then the
    question's own turn (or, for a rule no file can carry, the rule in one sentence first)."""
    def esc(text: str) -> str:
        return html.escape(text).replace("\n", "<br>")

    parts = [f"<h3>{esc(messages.KEPT_TITLE.format(name=tuned.label))}</h3>"]
    if tuned.is_rule:
        parts.append(f"<p>{esc(tuned.rule_note())}</p>")
    for m in tuned.prefix():
        parts.append(f"<p><b>{esc(messages.KEPT_ROLE.get(m.role, m.role))}</b><br>{esc(m.content)}</p>")
    parts.append(f"<p><b>{esc(messages.KEPT_QUESTION)}</b><br>{esc(tuned.question_template())}</p>")
    return "".join(parts)
