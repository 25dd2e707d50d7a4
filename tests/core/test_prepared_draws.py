"""What a behavior draws from the train split once per run is its own preparation: the few
solved examples (`FewExamples.prepare`, shared with its pick by probability), the nearest
examples' train pool (`NearestExamples.prepare`) and the most common answer
(`MostCommon.prepare`). A run draws them only for the behaviors it compares, with its seed
(the very pairs and answer the run's kit held when `make_kit` drew them), and a resumed run's
kit keeps what it drew."""

from run_helpers import drain
from simulated_env import simulated_backend
from test_most_common import third_task
from test_optimizer_run import CFG, SPEED, make_dataset

from debop_desktop.core import behaviors
from debop_desktop.core.datasets.repository import DatasetRepository
from debop_desktop.core.llm.fake import ScriptedBackend
from debop_desktop.core.optimizer.candidates import PromptKit, pick_few
from debop_desktop.core.optimizer.recorder import RunRecorder
from debop_desktop.core.optimizer.run import run_optimization
from debop_desktop.core.scoring.answer_space import AnswerSpace


def kit_of(store, dataset, answers, baselines, backend=None):
    _, result = drain(run_optimization(store, backend or simulated_backend(answers)[0], dataset.id,
                                       CFG.with_overrides(baselines=baselines, search=False),
                                       tokens_per_second=SPEED))
    assert result.status == "finished"
    return RunRecorder(store, result.run_id).summary()["behavior"]


def test_a_run_draws_the_few_examples_and_the_pool_only_for_the_behaviors_it_compares(store):
    dataset, answers = make_dataset(store)
    train = DatasetRepository(store).optimizer_examples(dataset.id, "train")
    drawn = [list(p) for p in pick_few(train, CFG.few_examples_k, CFG.seed)]
    pool = [[e.input, e.answer] for e in train]
    plain = kit_of(store, dataset, answers, ("direct", "zero_shot_cot"))
    assert plain["few_examples"] == [] and "train_pool" not in plain
    few = kit_of(store, dataset, answers, ("direct", "few_examples"))
    assert few["few_examples"] == drawn and len(drawn) == CFG.few_examples_k and "train_pool" not in few
    nearest = kit_of(store, dataset, answers, ("direct", "nearest_examples"))
    assert nearest["few_examples"] == [] and nearest["train_pool"] == pool


def test_a_run_chooses_the_most_common_answer_only_when_it_compares_it(store):
    thirds, _ = third_task(store)  # "no" on two thirds of the train split
    plain = kit_of(store, thirds, None, ("direct", "zero_shot_cot"), ScriptedBackend(["yes"]))
    assert "most_common" not in plain and plain["answer_space"]["kind"] == "yes_no"
    common = kit_of(store, thirds, None, ("direct", "most_common"), ScriptedBackend(["yes"]))
    assert common["most_common"] == "no"
    sums, answers = make_dataset(store)  # a number for an answer: no answer set, no most common answer
    assert "most_common" not in kit_of(store, sums, answers, ("direct", "most_common"))


class Resumed:
    """A preparation of a resumed run: it must not be asked anything."""

    def __getattr__(self, name):
        raise AssertionError(f"a kit that holds its draw asks nothing ({name})")


def test_a_kit_that_holds_its_draw_keeps_it():
    kit = PromptKit("Is it even?", AnswerSpace("yes_no"), few=(("Is 2 even?", "yes"),), most_common="no",
                    pool=(("Is 3 even?", "no"),))
    for name in ("few_examples", "few_examples_picked", "nearest_examples", "nearest_examples_picked", "most_common"):
        assert drain(behaviors.kind(name).prepare(kit, Resumed()))[1] is kit, name
