"""The Playground on a finished run, answering with the real tiny GGUF (gibberish, streamed)."""

import os

from PySide6.QtCore import Qt

from debop_desktop.core.llm.base import CancelToken
from debop_desktop.core.llm.host import model_host
from debop_desktop.core.llm.llama_engine import LlamaEngine
from debop_desktop.core.optimizer.export import load_tuned
from debop_desktop.core.optimizer.playground import ask_both, playground_runs
from debop_desktop.ui.playground_page import PlaygroundPage


def test_only_runs_with_a_tuned_behavior_are_offered(store, runs):
    finished, cancelled = runs
    assert [r.run_id for r in playground_runs(store)] == [finished.run_id]


def test_ask_both_streams_each_side_with_its_own_prompt(store, runs, tiny_gguf):
    finished, _ = runs
    engine = LlamaEngine(n_threads=1)
    engine.load(tiny_gguf, n_ctx=2048)
    chunks = {"untuned": [], "tuned": []}
    seen = []
    real_chat = engine.chat

    def spy(messages, params, cancel=None, on_text=None):
        seen.append(messages)
        return real_chat(messages, params, cancel=cancel, on_text=on_text)

    engine.chat = spy
    answers = ask_both(store, finished.run_id, "What is 2 + 2?", engine,  # as the run scored them
                       on_text=lambda side, text: chunks[side].append(text))
    engine.unload()
    assert [a.side for a in answers] == ["untuned", "tuned"]
    assert all(a.tokens > 0 and a.output for a in answers)
    assert "".join(chunks["tuned"]) == answers[1].output and "".join(chunks["untuned"]) == answers[0].output
    demo_question = load_tuned(store, finished.run_id).demo.question
    untuned_prompt, tuned_prompt = (" ".join(m.content for m in msgs) for msgs in seen)
    assert demo_question in tuned_prompt and demo_question not in untuned_prompt
    assert "What is 2 + 2?" in untuned_prompt and "What is 2 + 2?" in tuned_prompt


def test_ask_both_stops_when_cancelled(store, runs, tiny_gguf):
    from debop_desktop.core.errors import Cancelled

    engine = LlamaEngine(n_threads=1)
    engine.load(tiny_gguf, n_ctx=2048)
    token = CancelToken()
    token.cancel()
    try:
        ask_both(store, runs[0].run_id, "What is 2 + 2?", engine, cancel=token)
        raise AssertionError("not cancelled")
    except Cancelled:
        pass
    finally:
        engine.unload()


def test_page_answers_both_sides_and_keeps_the_model_loaded(qtbot, store, runs):
    page = PlaygroundPage(store)
    qtbot.addWidget(page)
    assert page.run_box.count() == 1 and not page.stop_button.isEnabled()
    page.use_test_question()
    assert page.question.toPlainText() and page.expected.text().startswith("Expected answer")
    streamed = []
    page._chunk.connect(lambda side, text: streamed.append(side))
    qtbot.mouseClick(page.ask_button, Qt.MouseButton.LeftButton)
    assert page.stop_button.isEnabled() and not page.ask_button.isEnabled()
    qtbot.waitUntil(lambda: not page.busy, timeout=60000)
    for side in ("untuned", "tuned"):
        assert page.panes[side].text.toPlainText()
        assert page.panes[side].answer.text().startswith("Answer: ")
        answer = page.panes[side].answer.text()
        assert answer.endswith(" s)") and "word pieces" not in answer and "tokens" not in answer  # plain words
    assert {"untuned", "tuned"} <= set(streamed)
    host = model_host()
    worker_pid = host.engine.pid  # the model lives in a worker process, kept for the next question
    assert worker_pid not in (None, os.getpid()) and host.busy_with() == []
    page.set_blocked("An optimization is using the model.")
    assert not page.ask_button.isEnabled() and host.engine.pid == worker_pid  # shared with the run
    page.set_blocked("")
    qtbot.mouseClick(page.ask_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not page.busy, timeout=60000)
    assert host.engine.pid == worker_pid  # the second question did not load the model again


def test_stop_ends_the_answer_without_an_error(qtbot, store, runs, monkeypatch):
    errors = []
    monkeypatch.setattr("debop_desktop.ui.playground_page.show_error", lambda parent, exc: errors.append(exc))
    page = PlaygroundPage(store)
    qtbot.addWidget(page)
    page.question.setPlainText("What is 2 + 2?")
    page.ask()
    page.stop()
    assert not page.busy and page.ask_button.isEnabled()
    assert "Stopped." in (page.panes["untuned"].answer.text(), page.panes["tuned"].answer.text())
    qtbot.wait(500)
    assert errors == []
    page.release_model()
