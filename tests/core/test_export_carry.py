"""Issue 23: exports carry more (few examples as Modelfile MESSAGE lines, the token limit, an LM
Studio preset), and each export that cannot carry the shipped behavior says so in plain words and
points to 'Use on a file' and 'debop serve'."""

import json

import pytest

from debop_desktop.core.behaviors import AnswerSettings
from debop_desktop.core.optimizer import export
from debop_desktop.core.optimizer.candidates import PromptKit
from debop_desktop.core.optimizer.export import TunedBehavior
from debop_desktop.core.optimizer.export_carry import carry_note, lmstudio_preset
from debop_desktop.core.optimizer.outcome import RunOutcome
from debop_desktop.core.scoring.answer_space import AnswerSpace

KIT = PromptKit(instruction="Is the ticket urgent?", space=AnswerSpace("yes_no", ("yes", "no")),
                few=(("The server is down", "yes"), ("A typo on the page", "no")),
                calibration=(("yes", 0.4), ("no", 0.6)), most_common="no")


def shipped(method: str) -> TunedBehavior:
    return TunedBehavior(7, KIT.instruction, None, "/models/m.gguf", "m", RunOutcome(), {"config_json": json.dumps(
        AnswerSettings().__dict__)}, method, KIT)


def test_a_few_examples_travel_as_message_lines_with_the_token_limit():
    t = shipped("few_examples")
    modelfile = export._modelfile(t)
    assert 'MESSAGE user """Is the ticket urgent?\n\nQuestion: The server is down' in modelfile
    assert 'MESSAGE assistant """yes"""' in modelfile and 'MESSAGE assistant """no"""' in modelfile
    assert "PARAMETER temperature 0" in modelfile and "PARAMETER num_predict 64" in modelfile
    assert carry_note(t) == "" and "Use on a file" not in modelfile  # a file carries all of it


@pytest.mark.parametrize("method", ["calibrated", "most_common", "zero_shot_cot"])
def test_what_a_file_cannot_carry_is_said_with_where_to_find_it(method):
    t = shipped(method)
    preset = json.loads(lmstudio_preset(t))
    for text in (export._text(t), export._modelfile(t), preset["debop"]["how_to_use"]):
        assert "Use on a file" in text and "debop serve" in text, text
    words = {"calibrated": "how likely each allowed answer is", "most_common": "without asking the model",
             "zero_shot_cot": "a short second turn asks for it"}[method]
    assert words in carry_note(t)


def test_the_lm_studio_preset_holds_the_prompt_greedy_and_the_token_limit():
    preset = json.loads(lmstudio_preset(shipped("few_examples")))
    fields = {f["key"]: f["value"] for f in preset["operation"]["fields"]}
    assert fields["llm.prediction.temperature"] == 0
    assert fields["llm.prediction.maxPredictedTokens"] == {"checked": True, "value": 64}
    system = fields["llm.prediction.systemPrompt"]
    assert "user: Is the ticket urgent?" in system and "assistant: yes" in system and "{question}" in system
    assert "may differ from what the app measured" in preset["debop"]["how_to_use"]
    assert preset["identifier"] == "@local:debop-run-7" and "lmstudio" in export.FORMATS
