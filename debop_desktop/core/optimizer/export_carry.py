"""What an exported file can and cannot carry of the shipped behavior, and the LM Studio preset.

A file carries messages and a few settings. It cannot carry a rule (a pick by probability, one
answer for every question), the grammar the app holds the model to while it writes, or the
short second turn that asks for the answer when the reasoning stated none. Each export that
leaves something out says so in plain sentences, and points to what does carry it: answering
a file in the app and serving it to other programs (core/apply, core/serve)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from debop_desktop.core import messages as msg

if TYPE_CHECKING:
    from debop_desktop.core.optimizer.export import TunedBehavior


def carry_gaps(t: TunedBehavior) -> list[str]:
    """One sentence per part of the shipped behavior no file carries ([] when a file carries it all)."""
    behavior = t.behavior
    gaps = [t.rule_note()] if t.is_rule else []
    if not t.is_rule and getattr(behavior, "follows_up", False):
        gaps.append(msg.EXPORT_NO_FOLLOW_UP)
    if not t.is_rule and behavior.generation_params().grammar:
        gaps.append(msg.EXPORT_NO_GRAMMAR)
    return gaps


def carry_note(t: TunedBehavior) -> str:
    """The gaps and where to find the whole behavior; '' when a file carries all of it."""
    gaps = carry_gaps(t)
    return " ".join([*gaps, msg.EXPORT_CARRIES_NOT]) if gaps else ""


def token_limit(t: TunedBehavior) -> int:
    return int(t.behavior.generation_params().max_tokens)


def lmstudio_preset(t: TunedBehavior) -> str:
    """An LM Studio preset: the turns before the question written into its one system prompt,
    greedy, with the run's token limit. A preset has no place for example turns, so a
    behavior that has them says so (they are written into the system prompt as text)."""
    prefix = t.prefix()
    system = [m.content for m in prefix if m.role == "system"]
    turns = [m for m in prefix if m.role != "system"]
    if turns:
        system.append(msg.EXPORT_LMSTUDIO_TURNS + "\n\n" + "\n\n".join(f"{m.role}: {m.content}" for m in turns))
    system.append(msg.EXPORT_LMSTUDIO_FORM.format(form=t.question_template()))
    notes = [n for n in (carry_note(t), msg.EXPORT_LMSTUDIO_NOT_SAME if turns else "") if n]
    preset = {
        "identifier": f"@local:debop-run-{t.run_id}",
        "name": f"DeBoP run {t.run_id}: {t.label.lower()}",
        "changed": True,
        "operation": {"fields": [
            {"key": "llm.prediction.systemPrompt", "value": "\n\n".join(system)},
            {"key": "llm.prediction.temperature", "value": 0},
            {"key": "llm.prediction.maxPredictedTokens", "value": {"checked": True, "value": token_limit(t)}},
        ]},
        "load": {"fields": []},
        "debop": {"run": t.run_id, "model": t.model_name, "behavior": t.public_method,
                  "verdict": t.verdict_sentence, "how_to_use": " ".join([msg.EXPORT_LMSTUDIO_HOW, *notes])},
    }
    return json.dumps(preset, indent=2, ensure_ascii=False)
