"""Issue 25: every page of the main window, every tab of a full Results page, speaks plain words;
the technical terms live in tooltips. A banned term on screen fails naming the widget."""

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from full_window import every_view, label_runs, open_window  # noqa: E402
from visible_text import visible_texts  # noqa: E402

# Words a person who never trained a model cannot act on; each may appear in a tooltip.
BANNED = ["word piece", "word pieces", "zero-shot", "CoT", "calibrated", "Shuffle number", "DeBoP paper",
          "merge steps", "shorten", "rewrite", "rewrites", "rewritten", "plan", "plans", "baseline", "baselines",
          "node", "reward", "operator", "MCTS", "p-value", "McNemar", "tuned test", "dev split", "held-out"]
PATTERN = re.compile(r"\b(" + "|".join(re.escape(t) for t in BANNED) + r")\b", re.IGNORECASE)


def banned_on_screen(window) -> list[str]:
    return [f"{who}: {m.group(0)!r} in {text[:80]!r}" for who, text in visible_texts(window)
            for m in [PATTERN.search(text)] if m]


def test_the_scan_finds_a_banned_term_and_names_the_widget(qtbot, store, tmp_path):
    window = open_window(qtbot, store, tmp_path, (1000, 600))
    window.show_page(window.results_page)
    assert banned_on_screen(window) == []
    window.results_page.hint.setText("Tries made by merge steps")
    assert banned_on_screen(window) == ["QLabel < ResultsPage < QStackedWidget < QWidget: 'merge steps' in "
                                        "'Tries made by merge steps'"]


def test_every_page_and_results_tab_speaks_plain_words(qtbot, store, runs, tiny_gguf, tmp_path):
    finished, _ = runs  # a run with a tree of tries
    ids = [finished.run_id, *label_runs(store, tiny_gguf)]
    window = open_window(qtbot, store, tmp_path, (1600, 1000))
    seen = []
    for view in every_view(qtbot, window, ids):
        seen.append(view)
        assert banned_on_screen(window) == [], view
    assert len(seen) == window.sidebar.count() - 1 + 3 * window.results_page.tabs.count()


def test_every_step_of_the_import_wizard_speaks_plain_words(qtbot, store, tmp_path):
    from test_import_wizard import press, start, write_csv

    rows = [(f"Note {i}: chest pain" if i % 3 == 0 else f"Note {i}: repeat prescription",
             "urgent" if i % 3 == 0 else "routine") for i in range(40)]
    _, wizard = start(qtbot, store, write_csv(tmp_path / "notes.csv", rows))
    steps = []
    while wizard.currentPage() is not wizard.report_page:
        qtbot.wait(30)
        steps.append(wizard.currentPage())
        assert banned_on_screen(wizard) == [], type(wizard.currentPage()).__name__
        press(qtbot, wizard)
        assert wizard.currentPage() is not steps[-1]  # every step goes on with what it suggests
    assert wizard.split_page in steps and banned_on_screen(wizard) == []
