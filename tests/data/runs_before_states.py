"""Runs recorded by the code before behaviors kept states of their own (commit a3a5dc6), and
what that code showed of them: `tests/core/test_runs_before_states.py` opens the database with
today's code and checks that it shows, answers (`ask`, the Playground's sides), exports and
resumes byte for byte as then.

Made once, at that commit, from the repository root of a copy of it:
    python tests/data/runs_before_states.py tests/data
which writes runs_before_states.sqlite3 (the database as the stopped run left it) and
runs_before_states.json (what that code showed, and what it recorded when it resumed the
stopped run). Only public, long-standing calls are used, so the same file observes both.

The task is yes/no with a small answer set, so the kit holds every key a run stored then but
the plan (`instruction`, `answer_space`, `few_examples`, `calibration`, `most_common`,
`train_pool`; a stored plan is read in tests/core/test_behavior_state.py). The model is
scripted: it says yes or no by a hash of the prompt, and scores answers by a hash too.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
from pathlib import Path

DB = "runs_before_states.sqlite3"
SEEN = "runs_before_states.json"
QUESTIONS = ("Is 1001 on the list?", "Is 1002 on the list?")  # asked of every behavior of each run
FORMATS = ("text", "chat-json", "modelfile", "lmstudio", "card")


def _hash(*parts: str) -> float:
    digest = hashlib.sha256("\x00".join(parts).encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def _rows():
    return [(f"Is {i * 7 % 97} on the list?", "yes" if _hash("truth", str(i)) < 0.4 else "no") for i in range(90)]


def backend():
    """The scripted model: with solved examples before the question it mostly says the right
    answer, else yes or no by a hash of the whole prompt; each allowed answer's
    log-probability by a hash of the prompt and the answer."""
    from debop_desktop.core.llm.fake import ScriptedBackend

    truth = dict(_rows())

    def said(messages, params) -> str:
        text = "\n".join(m.content for m in messages)
        asked = next((q for q in truth if q in messages[-1].content), None)
        if asked and len(messages) > 3 and _hash("right", text) < 0.85:
            return truth[asked]
        return "yes" if _hash("said", text) < 0.55 else "no"

    def logprobs(messages, answers):
        text = "\n".join(m.content for m in messages)
        return [-3.0 * _hash("prob", text, a) for a in answers]

    return ScriptedBackend(said, fingerprint="fake:before-states", logprobs=logprobs)


def make(home: Path) -> tuple[int, int]:
    """A finished run and one stopped while scoring on dev, on one task; their ids."""
    from debop_desktop.core.datasets.repository import DatasetRepository, NewExample, WorkedExample
    from debop_desktop.core.llm.base import CancelToken
    from debop_desktop.core.optimizer.config import OptimizerConfig
    from debop_desktop.core.optimizer.run import run_optimization
    from debop_desktop.core.store import open_store

    store = open_store(home)
    rows = [NewExample(q, a, ("train", "dev", "test")[i % 3]) for i, (q, a) in enumerate(_rows())]
    worked = [WorkedExample("Is 3 on the list?", "Three is listed.", "yes")]
    d = DatasetRepository(store).create(name="lists", examples=rows, instruction="Is it on the list?",
                                        scorer="yes_no", answer_type="yes_no", worked_examples=worked)
    config = OptimizerConfig(dev_limit=12, test_limit=12, seed=5, search=False,
                             baselines=("direct", "few_examples", "zero_shot_cot", "worked_examples", "calibrated",
                                        "most_common", "nearest_examples", "few_examples_picked",
                                        "nearest_examples_picked"))
    done = _drain(run_optimization(store, backend(), d.id, config, tokens_per_second=40.0))
    cancel, scored = CancelToken(), 0
    for event in run_optimization(store, backend(), d.id, config, tokens_per_second=40.0, cancel=cancel):
        scored += event.kind == "BaselineScored"
        if scored == 5:  # the calibration measured, some behaviors scored on dev
            cancel.cancel()
    stopped = store.execute("SELECT max(id) FROM runs").fetchone()[0]
    store.close()
    return done.run_id, stopped


def _drain(gen):
    try:
        while True:
            next(gen)
    except StopIteration as stop:
        return stop.value


def observe(store, run_id: int) -> dict:
    """What the code shows of run `run_id`: its stored kit, its view, its exports (the card's
    time left out), and for every behavior the run compared what `ask` and the Playground
    answer, with the messages, settings and rule note they come from."""
    from debop_desktop.core.optimizer.export import export_behavior, load_tuned
    from debop_desktop.core.optimizer.report import run_view

    summary = json.loads(store.execute("SELECT summary_json FROM runs WHERE id = ?", (run_id,)).fetchone()[0])
    view = run_view(store, run_id)
    seen: dict = {"kit": summary.get("behavior"), "status": view.status, "shipped": view.shipped,
                  "shipped_name": view.shipped_name, "exports": {}, "behaviors": {}}
    for fmt in FORMATS:
        text = export_behavior(store, run_id, fmt)
        if fmt == "card":
            card = json.loads(text)
            card.pop("exported_at", None)
            text = json.dumps(card, sort_keys=True)
        seen["exports"][fmt] = text
    tuned = load_tuned(store, run_id)
    config = json.loads(tuned.run["config_json"])
    for method in dict.fromkeys(["direct", *config["baselines"], tuned.method]):
        side = tuned.as_method(method)
        asked = backend()
        seen["behaviors"][method] = {
            "made": side.behavior.name, "rule": side.is_rule, "note": side.rule_note(),
            "params": repr(side.generation_params()),
            "messages": [[m.as_dict() for m in side.messages_for(q)] for q in QUESTIONS],
            "answers": [side.answer(asked, q).text for q in QUESTIONS],
            "calls": len(asked.calls) + len(asked.logprob_calls)}
    return seen


def recorded(store, run_id: int) -> dict:
    """What a run recorded: its status, what ships, the verdict, every evaluation."""
    row = store.execute("SELECT status, summary_json FROM runs WHERE id = ?", (run_id,)).fetchone()
    summary = json.loads(row[1])
    evaluations = store.execute(
        "SELECT ev.subject, x.position, ev.output, ev.extracted, ev.correct, ev.reason FROM evaluations ev "
        "JOIN examples x ON x.id = ev.example_id WHERE ev.run_id = ? ORDER BY ev.subject, x.position",
        (run_id,)).fetchall()
    return {"status": row[0], "verdict": summary.get("verdict"), "shipped": summary.get("shipped"),
            "kit": summary.get("behavior"), "evaluations": [list(e) for e in evaluations]}


def resume_stopped(store, run_id: int) -> dict:
    from debop_desktop.core.optimizer.run import resume

    result = _drain(resume(store, backend(), run_id, tokens_per_second=40.0))
    return {"status": result.status, "shipped": result.shipped, "recorded": recorded(store, run_id)}


def main(out: Path) -> None:
    from debop_desktop.core.store import open_store

    work = out / "runs_before_states.work"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    done, stopped = make(work)
    store = open_store(work)
    store.execute("VACUUM")
    store.close()
    db = next(work.glob("*.sqlite3"))
    shutil.copyfile(db, out / DB)
    store = open_store(work)
    seen = {"finished": done, "stopped": stopped, "shown": {str(done): observe(store, done)},
            "resumed": resume_stopped(store, stopped)}
    seen["shown"][str(stopped)] = observe(store, stopped)
    store.close()
    shutil.rmtree(work)
    (out / SEEN).write_text(json.dumps(seen, indent=1, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    sys.path.insert(0, str(Path.cwd()))
    main(Path(sys.argv[1]))
