"""The tuned demonstration picked by probability (issue 22, item 4): where the steps end and
the answer begins, the whole reply it records, and what it needs of a task."""

import json

from debop_desktop.core import behaviors
from debop_desktop.core.behaviors import AnswerSettings
from debop_desktop.core.behaviors.base import TaskFacts
from debop_desktop.core.behaviors.tuned_picked import filled_reply, reply_start
from debop_desktop.core.llm.base import ChatMessage
from debop_desktop.core.llm.templates import render_chat
from debop_desktop.core.optimizer.candidates import PromptKit
from debop_desktop.core.optimizer.demos import Demonstration, parse_execution
from debop_desktop.core.scoring.answer_space import AnswerSpace
from debop_desktop.core.scoring.extract import extract_answer

DEMO = Demonstration("A dull, slow film.", (("Tone", "bored"), ("Answer", "negative")), "negative")
KIT = PromptKit("Is the review positive or negative?", AnswerSpace("labels", ("positive", "negative")), demo=DEMO)


def test_the_reply_starts_where_the_steps_stopped_with_the_answer_field_open():
    assert reply_start('{"Tone": "warm", ') == '{"Tone": "warm", "Answer": "'
    assert reply_start('{"Tone": "warm"}') == '{"Tone": "warm", "Answer": "'  # closed without an answer
    assert reply_start('{"Tone": "wa') == '{"Tone": "wa", "Answer": "'  # out of tokens inside a value
    assert reply_start("") == '{"Answer": "'
    for steps in ('{"Tone": "warm", ', '{"Tone": "warm"}', '{"Tone": "wa', "", '{"Tone": "a \\"quoted\\" word", '):
        text = filled_reply(reply_start(steps), "positive")
        assert parse_execution(text)[-1] == ("Answer", "positive"), text
        assert extract_answer(text).text == "positive"


def test_steps_that_are_not_json_still_give_the_answer_a_reader_finds():
    text = filled_reply(reply_start("The film is warm and funny"), "positive")
    assert text.startswith("The film is warm and funny") and extract_answer(text).text == "positive"
    assert json.loads(text.splitlines()[-1]) == {"Answer": "positive"}


def test_a_reply_already_begun_is_rendered_open_after_the_turns_before_it():
    template = ("{% for m in messages %}<{{ m['role'] }}>{{ m['content'] }}</{{ m['role'] }}>{% endfor %}"
                "{% if add_generation_prompt %}<assistant>{% endif %}")
    turns = [ChatMessage("user", "Is it good?")]
    begun = render_chat([*turns, ChatMessage("assistant", '{"Tone": "')], template, "", "")
    assert begun.text == '<user>Is it good?</user><assistant>{"Tone": "' and begun.from_template
    plain = render_chat([*turns, ChatMessage("assistant", "{")], None, "", "")
    assert plain.text == render_chat(turns, None, "", "").text + " {"


def test_it_needs_a_tuned_demonstration_and_a_small_answer_set():
    settings = AnswerSettings(max_tokens=96, structured_output=True)
    b = behaviors.build("tuned_picked", KIT, settings)
    tuned = behaviors.build("tuned", KIT, settings)
    assert b is not None and b.messages("Great fun.") == tuned.messages("Great fun.")
    assert b.generation_params() == tuned.generation_params()  # what a file carries: its model writes the answer
    params = b.steps_params()
    assert params.stop[-1] == '"Answer"' and params.grammar == tuned.generation_params().grammar
    assert params.max_tokens == 96 and b.is_rule and "positive, negative" in b.rule_note()
    assert behaviors.build("tuned_picked", PromptKit(KIT.instruction, KIT.space), settings) is None
    assert behaviors.build("tuned_picked", PromptKit("Say it.", AnswerSpace("free"), demo=DEMO), settings) is None
    kind = behaviors.kind("tuned_picked")
    assert not kind.applies(TaskFacts(closed_answers=False)) and not kind.applies(TaskFacts(search=False))
    assert kind.estimated_calls(TaskFacts(), 10) == {"tuned_picked": 10}  # the pick counts with the steps
    assert kind.preparation_calls(TaskFacts(), 20) == {"tuned_picked": 21}  # the dev sample, and "N/A"
    assert kind.preparation_calls(TaskFacts(closed_answers=False), 20) == {}
