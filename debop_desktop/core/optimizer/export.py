"""Take the tuned behavior away: plain text, chat messages JSON, an Ollama Modelfile, and a
provenance card that says exactly what produced it and how it scored.

A behavior that picks the answer by probability (`calibrated`) or gives every question the
same answer (`most_common`) cannot travel in a file: its exports say so in plain words and
carry the plain prompt."""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from debop_desktop.core import behaviors
from debop_desktop.core import messages as msg
from debop_desktop.core.behaviors import AnswerSettings, Behavior, answer
from debop_desktop.core.datasets.repository import DatasetRepository
from debop_desktop.core.errors import DebopError
from debop_desktop.core.llm.base import CancelToken, ChatBackend, ChatMessage, Completion, GenerationParams, OnText
from debop_desktop.core.optimizer.baselines import METHOD_LABELS
from debop_desktop.core.optimizer.candidates import PromptKit
from debop_desktop.core.optimizer.demos import Demonstration
from debop_desktop.core.optimizer.export_carry import carry_note, lmstudio_preset, token_limit
from debop_desktop.core.optimizer.outcome import RunOutcome
from debop_desktop.core.optimizer.run_repository import RunRepository
from debop_desktop.core.optimizer.verdict import verdict_name
from debop_desktop.core.scoring.answer_space import AnswerSpace
from debop_desktop.core.store import Store

FORMATS = ("text", "chat-json", "modelfile", "lmstudio", "card")


QUESTION_SLOT = "\x00question\x00"


@dataclass(frozen=True)
class TunedBehavior:
    """The behavior a run ships, rebuilt from what the run recorded (its kit and settings):
    the tuned demonstration, or the simple behavior that beat it (`method`). Answering,
    messages and settings all come from the behavior object (core/behaviors), so what is
    answered, exported or shown is exactly what the run scored."""

    run_id: int
    instruction: str
    demo: Demonstration | None  # the search's best demonstration (None when the search found none)
    model_path: str | None
    model_name: str
    outcome: RunOutcome
    run: dict[str, Any]
    method: str = "tuned"  # a behavior's stored name (core/behaviors)
    kit: PromptKit | None = None

    @property
    def settings(self) -> AnswerSettings:
        return AnswerSettings.from_json(json.loads(self.run.get("config_json") or "{}"))

    @property
    def behavior(self) -> Behavior:
        """The shipped behavior; plain prompting where the kit cannot make it any more."""
        kit = self.kit or PromptKit(self.instruction, AnswerSpace("free"), demo=self.demo)
        made = behaviors.build(self.method, kit, self.settings) or behaviors.build("direct", kit, self.settings)
        assert made is not None
        return made

    def as_method(self, method: str) -> TunedBehavior:
        """The same run's `method` instead (the Playground's plain-prompting side)."""
        return replace(self, method=method)

    def messages_for(self, question: str) -> list[ChatMessage]:
        return self.behavior.messages(question)

    def prefix(self) -> list[ChatMessage]:
        """Everything sent before the question's own turn (the same for every question)."""
        return self.messages_for(QUESTION_SLOT)[:-1]

    def question_template(self) -> str:
        return self.messages_for(QUESTION_SLOT)[-1].content.replace(QUESTION_SLOT, "{question}")

    def generation_params(self) -> GenerationParams:
        """Greedy, with the token limit and grammar the run scored the behavior with."""
        return self.behavior.generation_params()

    def answer(self, backend: ChatBackend, question: str, *, cancel: CancelToken | None = None,
               on_text: OnText | None = None) -> Completion:
        """Answer `question` exactly as the run scored this behavior (the same messages, token
        limit, grammar, follow-up turn or rule). A pick by probability on a backend that
        cannot score answers falls back to the plain prompt."""
        try:
            reply = answer(self.behavior, backend, question, cancel=cancel, on_text=on_text)
        except NotImplementedError:
            reply = answer(behaviors.build("direct", self.behavior.kit, self.settings), backend, question,
                           cancel=cancel, on_text=on_text)  # type: ignore[arg-type]
        return reply.completion or Completion("", "length", 0, 0, 0.0, 0)

    @property
    def is_rule(self) -> bool:
        """The behavior is a rule no file can carry (a pick by probability, or one answer
        for every question), not a prompt."""
        return self.behavior.is_rule

    @property
    def public_method(self) -> str:
        return verdict_name(self.method)

    def rule_note(self) -> str:
        """For exports: why the file cannot do what the app does (empty for a prompt)."""
        return self.behavior.rule_note() if self.is_rule else ""

    @property
    def label(self) -> str:
        return behaviors.label(self.method)

    @property
    def verdict_sentence(self) -> str:
        return self.outcome.verdict.sentence if self.outcome.verdict is not None else ""


def load_tuned(store: Store, run_id: int) -> TunedBehavior:
    """The behavior run `run_id` ships (the shipped simple prompt when one beat the search).
    Runs recorded before the app chose among simple prompts ship their best demonstration."""
    repo = RunRepository(store)
    run = repo.row(run_id)
    if run is None:
        raise DebopError(f"There is no run number {run_id}. See 'debop runs list'.")
    outcome = RunOutcome.from_stored(run["summary_json"])
    method = outcome.shipped_method
    if not run["best_node_id"] and (method == "tuned" or run["status"] != "finished"):
        raise DebopError(f"Run {run_id} has no tuned behavior yet (status: {run['status']}). "
                         "Resume it with 'debop resume' to finish it.")
    demo = None
    if run["best_node_id"]:
        demo = Demonstration.from_json(repo.demo_json(run["best_node_id"]))
    dataset = DatasetRepository(store).get(run["dataset_id"])
    kit = PromptKit.from_json(outcome.kit, dataset.worked_examples, demo) if outcome.kit \
        else PromptKit(dataset.instruction, AnswerSpace("free"), (), tuple(dataset.worked_examples), demo)
    model = store.execute("SELECT name, path FROM models WHERE id = ?", (run["model_id"],)).fetchone() \
        if run["model_id"] else None
    return TunedBehavior(run_id, kit.instruction, demo, model[1] if model else None,
                         model[0] if model else run["model_sha256"] or "model", outcome, run, method, kit)


def export_behavior(store: Store, run_id: int, fmt: str, *, file_name: str | None = None) -> str:
    """The behavior run `run_id` ships, as text in `fmt`. `file_name` is where the caller will
    save it (a Modelfile's instructions name that file); None when the text is only shown."""
    tuned = load_tuned(store, run_id)
    if fmt == "text":
        return _text(tuned)
    if fmt == "chat-json":
        how = " ".join(filter(None, [carry_note(tuned), msg.EXPORT_CHAT_JSON_HOW]))
        return json.dumps({"how_to_use": how, "messages": [m.as_dict() for m in tuned.prefix()],
                           "question_template": tuned.question_template(), "behavior": tuned.public_method,
                           "verdict": tuned.verdict_sentence, "sampling": {"temperature": 0}},
                          indent=2, ensure_ascii=False)
    if fmt == "modelfile":
        return _modelfile(tuned, file_name)
    if fmt == "lmstudio":
        return lmstudio_preset(tuned)
    if fmt == "card":
        return _card(store, tuned)
    raise DebopError(f"Unknown export format '{fmt}'. Choose one of: {', '.join(FORMATS)}.")


def _text(t: TunedBehavior) -> str:
    turns = "".join(f"--- {m.role} ---\n{m.content}\n\n" for m in t.prefix())
    start = "start the chat with the turns below, then ask" if t.prefix() else "ask"
    verdict = f"{t.verdict_sentence}\n\n" if t.verdict_sentence else ""
    note = f"{carry_note(t)}\n\n" if carry_note(t) else ""
    return (f"{t.label} from DeBoP Desktop run {t.run_id} (model: {t.model_name})\n\n{verdict}{note}"
            f"How to use it: {start} your question in the form shown last. Use temperature 0.\n\n"
            f"{turns}--- your question, in this form ---\n{t.question_template()}\n")


def modelfile_how(run_id: int, file_name: str | None) -> str:
    """How to turn the Modelfile into an Ollama model, with the commands that work for the
    file it is saved as (`run-N.Modelfile` when it is only shown)."""
    file = Path(file_name or f"run-{run_id}.Modelfile").name
    stem = file[: -len(".modelfile")] if file.lower().endswith(".modelfile") and len(file) > 10 else file
    name = re.sub(r"[^a-z0-9._-]+", "-", stem.lower()).strip("-.") or f"run-{run_id}"
    shown = file if re.fullmatch(r"[\w.+-]+", file) else f'"{file}"'  # a space needs quotes in every shell
    save = "" if file_name else msg.EXPORT_MODELFILE_SAVE.format(file=shown)
    return msg.EXPORT_MODELFILE_HOW.format(save=save, name=name, file=shown)


def _modelfile(t: TunedBehavior, file_name: str | None = None) -> str:
    source = t.model_path or "<path to the same .gguf file>"

    def quoted(text: str) -> str:
        return '"""' + text.replace('"""', '\\"\\"\\"') + '"""'

    lines = [f"# DeBoP Desktop run {t.run_id}: {t.label.lower()} for {t.model_name}",
             *("# " + line for line in modelfile_how(t.run_id, file_name).splitlines())]
    if t.verdict_sentence:
        lines.append(f"# {t.verdict_sentence}")
    if carry_note(t):
        lines.append("# " + carry_note(t))
    lines += [f"FROM {source}", "PARAMETER temperature 0", f"PARAMETER num_predict {token_limit(t)}"]
    for m in t.prefix():
        lines.append(f"SYSTEM {quoted(m.content)}" if m.role == "system" else f"MESSAGE {m.role} {quoted(m.content)}")
    lines += ["# Ask questions in this form:", "# " + t.question_template().replace("\n", "\n# ")]
    return "\n".join(lines) + "\n"


def _rule_fields(t: TunedBehavior) -> dict[str, Any]:
    """The card's account of a rule no file can carry: what it does, and what it uses."""
    if not t.is_rule or t.kit is None:
        return {}
    if t.method == "most_common":
        return {"gives_one_answer": t.rule_note(), "answer": t.kit.most_common}
    if t.method == "calibrated":
        return {"picks_by_probability": t.rule_note(), "content_free_probabilities": dict(t.kit.calibration)}
    return {"rule": t.rule_note()}


def _card(store: Store, t: TunedBehavior) -> str:
    from debop_desktop import __version__

    dataset = DatasetRepository(store).get(t.run["dataset_id"])
    quant = store.execute("SELECT quantization FROM models WHERE id = ?", (t.run["model_id"],)).fetchone() \
        if t.run["model_id"] else None
    scores = {verdict_name(s.method): {"label": METHOD_LABELS.get(s.method, s.method), "accuracy": s.accuracy,
                                       "interval_95": [s.low, s.high], "n": s.n, "split": "test (held out)"}
              for s in t.outcome.test_scores}
    best = t.outcome.best
    card = {
        "app": f"DeBoP Desktop {__version__}", "exported_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "run": {"id": t.run_id, "status": t.run["status"], "preset": t.run["preset"], "seed": t.run["seed"],
                "backend": t.run["backend"], "endpoint": t.run["endpoint"], "app_version": t.run["app_version"],
                "settings": json.loads(t.run["config_json"])},
        "model": {"name": t.model_name, "path": t.model_path, "sha256": t.run["model_sha256"],
                  "quantization": quant[0] if quant else None},
        "dataset": {"name": dataset.name, "sha256": t.run["dataset_sha256"], "split_sizes": dataset.counts,
                    "scorer": dataset.scorer},
        "shipped": {"method": t.public_method, "label": t.label,
                    "reason": t.outcome.shipped.reason if t.outcome.shipped else None,
                    "messages": [m.as_dict() for m in t.prefix()], "question_template": t.question_template(),
                    **_rule_fields(t)},
        "best_demonstration": {"node_id": t.run["best_node_id"], "dev_accuracy": best.dev_accuracy if best else None,
                               "dev_reward": best.reward if best else None, "split": "dev",
                               "steps": list(t.demo.plan.steps) if t.demo else []},
        "test_scores": scores,
        "verdict": dict(t.outcome.verdict.raw) if t.outcome.verdict is not None else None,
    }
    return json.dumps(card, indent=2, ensure_ascii=False)
