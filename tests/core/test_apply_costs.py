"""Issue 25: a file answered for a task with mistake costs marks each answer in the costly
direction (answered routine, when missing urgent counts 5 times) for a second look."""

import csv

from run_helpers import drain
from test_mistake_costs import CONFIG, LABELS, triage
from test_optimizer_run import SPEED

from debop_desktop.core.apply import ApplyFinished, answer_file, plan_apply
from debop_desktop.core.costs import parse_costs, set_task_costs
from debop_desktop.core.llm.fake import ScriptedBackend
from debop_desktop.core.optimizer.run import run_optimization


def answered(store, tmp_path, costs):
    d = triage(store)
    if costs:
        set_task_costs(store, d.id, parse_costs(costs, LABELS))
    # a model that reads the note, so plain prompting ships (one answer to every note would
    # lose its place to the most common answer: candidates.default)
    reads = ScriptedBackend(lambda messages, params: "urgent" if "chest pain" in messages[-1].content else "routine")
    _, result = drain(run_optimization(store, reads, d.id, CONFIG, tokens_per_second=SPEED))
    source = tmp_path / "new notes.csv"
    notes = [f"New note {i}: {'seizure' if i % 2 else 'repeat prescription'}" for i in range(6)]
    source.write_text("note\n" + "\n".join(notes) + "\n", encoding="utf-8")
    plan = plan_apply(store, result.run_id, source)
    model = ScriptedBackend(lambda messages, params: "urgent" if "seizure" in messages[-1].content else "routine")
    events, _ = drain(answer_file(store, plan, model))
    with open(plan.output, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh)), events[-1]


def test_answers_in_the_costly_direction_are_marked_to_check(store, tmp_path):
    rows, finished = answered(store, tmp_path, "urgent>routine=5")
    assert list(rows[0]) == ["note", "answer", "model output", "check by hand", "notes"]
    assert [r["answer"] for r in rows] == ["routine", "urgent"] * 3
    assert [r["check by hand"] for r in rows] == ["check: could be a missed urgent", ""] * 3
    assert isinstance(finished, ApplyFinished) and finished.to_check == 3


def test_without_costs_the_file_has_no_check_column(store, tmp_path):
    rows, finished = answered(store, tmp_path, "")
    assert list(rows[0]) == ["note", "answer", "model output", "notes"] and finished.to_check == 0
