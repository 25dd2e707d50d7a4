"""Take the tuned behavior away: plain text, chat messages JSON, an Ollama Modelfile, and a
provenance card that says exactly what produced it and how it scored."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any

from debop_desktop.core.datasets.repository import DatasetRepository
from debop_desktop.core.errors import DebopError
from debop_desktop.core.llm.base import ChatMessage
from debop_desktop.core.optimizer.baselines import METHOD_LABELS
from debop_desktop.core.optimizer.demos import Demonstration
from debop_desktop.core.optimizer.prompts import execute_prompt, execution_messages
from debop_desktop.core.store import Store

FORMATS = ("text", "chat-json", "modelfile", "card")


@dataclass(frozen=True)
class TunedBehavior:
    run_id: int
    instruction: str
    demo: Demonstration
    model_path: str | None
    model_name: str
    summary: dict[str, Any]
    run: dict[str, Any]

    def messages_for(self, question: str) -> list[ChatMessage]:
        return execution_messages(self.instruction, question, self.demo.plan, self.demo)

    def question_template(self) -> str:
        return execute_prompt("{question}", self.demo.plan)


def load_tuned(store: Store, run_id: int) -> TunedBehavior:
    rows = list(store.db.query("SELECT * FROM runs WHERE id = ?", [run_id]))
    if not rows:
        raise DebopError(f"There is no run number {run_id}. See 'debop runs list'.")
    run = rows[0]
    if not run["best_node_id"]:
        raise DebopError(f"Run {run_id} has no tuned behavior yet (status: {run['status']}). "
                         "Resume it with 'debop resume' to finish it.")
    demo_json = store.execute("SELECT demo_json FROM nodes WHERE id = ?", (run["best_node_id"],)).fetchone()[0]
    dataset = DatasetRepository(store).get(run["dataset_id"])
    model = store.execute("SELECT name, path FROM models WHERE id = ?", (run["model_id"],)).fetchone() \
        if run["model_id"] else None
    return TunedBehavior(run_id, dataset.instruction, Demonstration.from_json(demo_json),
                         model[1] if model else None, model[0] if model else run["model_sha256"] or "model",
                         json.loads(run["summary_json"] or "{}"), run)


def export_behavior(store: Store, run_id: int, fmt: str) -> str:
    tuned = load_tuned(store, run_id)
    if fmt == "text":
        return _text(tuned)
    if fmt == "chat-json":
        turns = tuned.messages_for("{question}")[:-1]  # everything before the real question
        return json.dumps({"messages": [m.as_dict() for m in turns],
                           "question_template": tuned.question_template(),
                           "sampling": {"temperature": 0}}, indent=2, ensure_ascii=False)
    if fmt == "modelfile":
        return _modelfile(tuned)
    if fmt == "card":
        return _card(store, tuned)
    raise DebopError(f"Unknown export format '{fmt}'. Choose one of: {', '.join(FORMATS)}.")


def _demo_turns(t: TunedBehavior) -> tuple[ChatMessage, ChatMessage]:
    user, reply = [m for m in t.messages_for("{question}") if m.role != "system"][:2]
    return user, reply


def _text(t: TunedBehavior) -> str:
    demo_user, demo_reply = _demo_turns(t)
    return (f"Tuned behavior from DeBoP Desktop run {t.run_id} (model: {t.model_name})\n\n"
            f"How to use it: use the system message, start the chat with the two turns below, then ask your "
            f"question in the same form. Use temperature 0.\n\n--- system ---\n{t.instruction}\n\n"
            f"--- user ---\n{demo_user.content}\n\n--- assistant ---\n{demo_reply.content}\n\n"
            f"--- your question, in this form ---\n{t.question_template()}\n")


def _modelfile(t: TunedBehavior) -> str:
    demo_user, demo_reply = _demo_turns(t)
    source = t.model_path or "<path to the same .gguf file>"

    def quoted(text: str) -> str:
        return '"""' + text.replace('"""', '\\"\\"\\"') + '"""'

    lines = [f"# DeBoP Desktop run {t.run_id}: tuned behavior for {t.model_name}", f"FROM {source}",
             "PARAMETER temperature 0"]
    if t.instruction:
        lines.append(f"SYSTEM {quoted(t.instruction)}")
    lines += [f"MESSAGE user {quoted(demo_user.content)}", f"MESSAGE assistant {quoted(demo_reply.content)}",
              "# Ask questions in the same form as the user message above:",
              "# " + t.question_template().replace("\n", "\n# ")]
    return "\n".join(lines) + "\n"


def _card(store: Store, t: TunedBehavior) -> str:
    from debop_desktop import __version__

    dataset = DatasetRepository(store).get(t.run["dataset_id"])
    quant = store.execute("SELECT quantization FROM models WHERE id = ?", (t.run["model_id"],)).fetchone() \
        if t.run["model_id"] else None
    scores = {b["method"]: {"label": METHOD_LABELS.get(b["method"], b["method"]), "accuracy": b["accuracy"],
                            "interval_95": [b["low"], b["high"]], "n": b["n"], "split": "test (held out)"}
              for b in t.summary.get("baselines", [])}
    best = t.summary.get("best") or {}
    card = {
        "app": f"DeBoP Desktop {__version__}", "exported_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "run": {"id": t.run_id, "status": t.run["status"], "preset": t.run["preset"], "seed": t.run["seed"],
                "backend": t.run["backend"], "endpoint": t.run["endpoint"], "app_version": t.run["app_version"],
                "settings": json.loads(t.run["config_json"])},
        "model": {"name": t.model_name, "path": t.model_path, "sha256": t.run["model_sha256"],
                  "quantization": quant[0] if quant else None},
        "dataset": {"name": dataset.name, "sha256": t.run["dataset_sha256"], "split_sizes": dataset.counts,
                    "scorer": dataset.scorer},
        "best_demonstration": {"node_id": t.run["best_node_id"], "dev_accuracy": best.get("dev_accuracy"),
                               "dev_reward": best.get("reward"), "split": "dev", "steps": list(t.demo.plan.steps)},
        "test_scores": scores,
    }
    return json.dumps(card, indent=2, ensure_ascii=False)
