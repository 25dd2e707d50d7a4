"""Issue 14: the Optimize page speaks plain words; the search's own terms live in tooltips."""

import re

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QComboBox, QGroupBox, QLabel
from run_helpers import drain
from simulated_env import simulated_backend
from test_optimizer_run import CFG, make_dataset

from debop_desktop.core import messages
from debop_desktop.core.optimizer.run import run_optimization
from debop_desktop.ui.optimize_page import OptimizePage

JARGON = re.compile(r"\b(train|dev|test split|scorer|reward|visits?|seeds?|prune|calls saved|racing|raced|node|"
                    r"operator|tokens?|baselines?|MCTS|DeBoP|CoT|zero-shot|held-out)\b", re.IGNORECASE)


def words_on_screen(page):
    """Every text a person can read on the page without hovering: labels, buttons, box titles, choices."""
    texts = [w.text() for w in page.findChildren(QLabel) + page.findChildren(QAbstractButton) if w.isVisible()]
    texts += [w.title() for w in page.findChildren(QGroupBox) if w.isVisible()]
    texts += [c.itemText(i) for c in page.findChildren(QComboBox) if c.isVisible() for i in range(c.count())]
    texts += [page.details.toPlainText()]
    return [t for t in texts if t]


def test_every_setting_is_named_in_plain_words_with_the_term_in_its_tooltip(optimize_page):
    page = optimize_page  # Advanced is ticked: every knob of the run is on screen
    shown = words_on_screen(page)
    assert len(shown) > 30 and [t for t in shown if JARGON.search(t)] == []
    presets = [page.preset_box.itemText(i) for i in range(page.preset_box.count())]
    assert all(re.search(r"fast|long", p, re.IGNORECASE) for p in presets), presets  # named for time
    assert page.preset_box.itemData(3, Qt.ItemDataRole.ToolTipRole)  # the technical description
    seed = page.advanced.controls["seed"]
    assert page.advanced.body.layout().labelForField(seed).text() == "Repeatable run number"
    assert "random seed" in seed.toolTip()
    assert page.advanced.baselines["zero_shot_cot"].text() == "Step by step"
    assert "zero-shot CoT" in page.advanced.baselines["zero_shot_cot"].toolTip()


def test_a_finished_runs_try_reads_plainly_and_keeps_its_terms_in_a_tooltip(qtbot, store):
    d, answers = make_dataset(store)
    drain(run_optimization(store, simulated_backend(answers)[0], d.id, CFG, tokens_per_second=40))
    page = OptimizePage(store)
    qtbot.addWidget(page)
    page.resize(1200, 800)
    page.show()
    qtbot.waitExposed(page)
    best = page.tree.best
    assert best is not None  # the last run's tree, loaded after a restart
    ellipse = page.tree._items[best][0]
    assert "right" in ellipse.toolTip() and "Technical: operator" in ellipse.toolTip()
    point = page.tree.mapFromScene(ellipse.sceneBoundingRect().center())
    qtbot.mouseClick(page.tree.viewport(), Qt.MouseButton.LeftButton, pos=point)
    text = page.details.toPlainText()
    assert f"Try {best}" in text and "Made by" in text and "examples to check with" in text
    assert [t for t in words_on_screen(page) if JARGON.search(t)] == []
    assert "reward" in page.details.toolTip() and "visits" in page.details.toolTip()


def test_start_without_a_model_says_what_to_do(qtbot, store):
    page = OptimizePage(store)
    qtbot.addWidget(page)
    page.show()
    qtbot.mouseClick(page.start_button, Qt.MouseButton.LeftButton)
    assert page.stage.text() == messages.OPTIMIZE_NEEDS_MODEL and "Models page" in page.stage.text()
    assert page.controller.state == "idle"
