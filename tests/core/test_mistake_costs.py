"""Issue 25: mistake costs. A label task may say which mistakes are worse; then the choice of what
ships goes by the cost of mistakes (and says so), and the verdict counts the costly ones."""

import json
import re

import pytest
from run_helpers import drain
from test_optimizer_run import CFG, SPEED

from debop_desktop.core.costs import CostsError, MistakeCosts, parse_costs, set_task_costs, task_costs
from debop_desktop.core.datasets.repository import DatasetRepository, NewExample
from debop_desktop.core.llm.fake import ScriptedBackend
from debop_desktop.core.optimizer.candidates import DevScore, choose
from debop_desktop.core.optimizer.mistakes import run_mistakes
from debop_desktop.core.optimizer.run import run_optimization
from debop_desktop.core.store import db as store_db
from debop_desktop.core.store import migrations, open_store

LABELS = ("urgent", "routine")


def triage(store, name="triage", n=120):
    """Urgent one note in three; split by threes, so every split has both."""
    rows = [NewExample(f"Note {i}: {'chest pain and sweating' if i % 3 == 0 else 'asks for a repeat prescription'}",
                       "urgent" if i % 3 == 0 else "routine", ("train", "dev", "test")[(i // 3) % 3])
            for i in range(n)]
    return DatasetRepository(store).create(name=name, examples=rows, instruction="Urgent or routine?",
                                           scorer="label", answer_type="label",
                                           scorer_options={"labels": list(LABELS)})


def careful_and_careless(messages, params):
    """Plain prompting (and every prompt but step by step) misses three urgent notes in four;
    step by step catches every urgent note but calls half the routine ones urgent: more
    mistakes, cheaper ones."""
    last = messages[-1].content
    found = re.findall(r"Note (\d+):", last)
    i = int(found[-1]) if found else 1
    urgent = i % 3 == 0
    if "step by step" in last:
        return f"Thinking it over. So the answer is {'urgent' if urgent or i % 2 == 0 else 'routine'}."
    if "Note" not in last:  # the follow-up turn after a step-by-step reply
        previous = messages[-2].content
        return "urgent" if "is urgent" in previous else "routine"
    return "urgent" if urgent and i % 4 == 0 else "routine"


CONFIG = CFG.with_overrides(search=False, test_limit=None)


def shipped_reason(store, run_id):
    summary = json.loads(store.execute("SELECT summary_json FROM runs WHERE id = ?", (run_id,)).fetchone()[0])
    return summary["shipped"]["reason"]


def test_costs_change_what_ships_and_the_reason_and_verdict_say_why(store):
    plain = triage(store, "plain")
    _, before = drain(run_optimization(store, ScriptedBackend(careful_and_careless), plain.id, CONFIG,
                                       tokens_per_second=SPEED))
    assert before.status == "finished" and before.shipped == "direct"  # more right answers
    assert "cost" not in shipped_reason(store, before.run_id) and "costly" not in before.verdict

    costly = triage(store, "costly")
    set_task_costs(store, costly.id, parse_costs("urgent>routine=5", LABELS))
    _, after = drain(run_optimization(store, ScriptedBackend(careful_and_careless), costly.id, CONFIG,
                                      tokens_per_second=SPEED))
    assert after.status == "finished" and after.shipped == "zero_shot_cot"  # fewer costly mistakes
    reason = shipped_reason(store, after.run_id)
    assert reason.startswith("The app keeps step-by-step reasoning, chosen by the cost of its mistakes: "
                             "missing urgent (answered routine) counts 5 times.")
    v = after.verdict
    assert v["costly"]["kept"]["count"] == 0 and v["costly"]["direct"]["count"] > 0
    assert v["costly"]["kept"]["cost"] < v["costly"]["direct"]["cost"]
    assert f"Costly mistakes (urgent answered routine): 0 by the kept behavior against " \
           f"{v['costly']['direct']['count']} by plain prompting" in v["sentence"]
    mistakes = run_mistakes(store, after.run_id)
    assert mistakes.costly_count() == 0 and mistakes.costly_line() == "No costly mistakes (urgent answered routine)."


def test_a_kept_behavior_that_misses_the_costly_label_counts_its_costly_mistakes(store, home, capsys):
    d = triage(store)
    set_task_costs(store, d.id, parse_costs("urgent>routine=5", LABELS))
    _, result = drain(run_optimization(store, ScriptedBackend(["routine"]), d.id, CONFIG, tokens_per_second=SPEED))
    mistakes = run_mistakes(store, result.run_id)
    n = mistakes.count("urgent", "routine")
    assert n > 0 and mistakes.costly_count() == n and mistakes.is_costly("urgent", "routine")
    assert not mistakes.is_costly("routine", "urgent")
    assert mistakes.costly_line() == f"{n} costly mistakes: urgent answered routine"
    assert "Costly mistakes (urgent answered routine): " in result.verdict["sentence"]
    from debop_desktop.cli import main

    assert main(["--home", str(home), "runs", "show", str(result.run_id)]) == 0
    assert f"  {n} costly mistakes: urgent answered routine\n" in capsys.readouterr().out


def test_with_cost_a_challenger_must_save_more_than_noise():
    ids = range(20)
    direct = DevScore("direct", {i: i % 4 != 0 for i in ids}, 1.0, cost={i: 5.0 if i % 4 == 0 else 0.0 for i in ids})
    other = DevScore("zero_shot_cot", {i: i % 2 == 0 for i in ids}, 1.0,
                     cost={i: 0.0 if i % 2 == 0 else 1.0 for i in ids})
    assert choose([direct, other], 1.0).method == "zero_shot_cot"  # 25 saved against 10 more
    unit = [DevScore(s.method, s.right, 1.0) for s in (direct, other)]
    assert choose(unit, 1.0).method == "direct"  # without costs: 15 right against 10


@pytest.mark.parametrize(("text", "words"), [
    ("urgnt>routine=5", "'urgnt' is not one of this task's answers (urgent, routine)."),
    ("urgent>routine=-2", "cannot be below 0"),
    ("urgent>routine=five", "must be a number, like 5; 'five' is not."),
    ("urgent>routine=nan", "must be a number"),
    ("urgent=5", "right>given=number"),
    ("urgent>urgent=5", "A right answer (urgent>urgent) costs nothing"),
])
def test_bad_costs_get_a_clear_message(text, words):
    with pytest.raises(CostsError) as caught:
        parse_costs(text, LABELS)
    assert words in caught.value.message


def test_costs_are_read_in_any_capitals_and_described_in_words():
    costs = parse_costs(" Urgent > ROUTINE = 5 ; routine>urgent=0.5", LABELS)
    assert costs.pairs == {("urgent", "routine"): 5.0, ("routine", "urgent"): 0.5} and costs.is_set
    assert costs.cost("URGENT", "routine") == 5 and costs.cost("urgent", "urgent") == 0
    assert costs.cost("urgent", None) == 1 and costs.costly_given() == {"routine": ["urgent"]}
    assert costs.describe() == ("missing urgent (answered routine) counts 5 times; "
                                "missing routine (answered urgent) counts 0.5 times")
    assert costs.to_text() == "urgent>routine=5, routine>urgent=0.5"
    assert not MistakeCosts(LABELS).is_set and parse_costs("urgent>routine=1", LABELS).pairs == {}


def test_a_database_from_before_costs_keeps_its_tasks(home, monkeypatch):
    monkeypatch.setattr(store_db, "MIGRATIONS", migrations.MIGRATIONS[:5])
    old = open_store(home)
    d = triage(old)
    old.close()
    monkeypatch.setattr(store_db, "MIGRATIONS", migrations.MIGRATIONS)
    upgraded = open_store(home)
    try:
        assert upgraded.schema_version == len(migrations.MIGRATIONS)
        assert DatasetRepository(upgraded).get(d.id).size == 120
        costs = task_costs(upgraded, d.id)
        assert costs is not None and costs.labels == LABELS and not costs.is_set
        set_task_costs(upgraded, d.id, parse_costs("urgent>routine=3", LABELS))
        assert task_costs(upgraded, d.id).pairs == {("urgent", "routine"): 3.0}
    finally:
        upgraded.close()
