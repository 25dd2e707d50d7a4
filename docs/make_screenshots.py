"""Render every page of the app to docs/screenshots/, with real data: SmolLM2-135M-Instruct
is added through the Models page, a sample task is created through the Tasks page, and a
Quick optimization runs through the Optimize page exactly as a person would start it. The
Results page is shown with each of its tabs (What ships, Mistakes with one kind of mistake
opened, Compare runs against a first look on the same task with Gemma 3 270M when fetched).

    QT_QPA_PLATFORM=offscreen .venv/bin/python docs/make_screenshots.py [--out docs/screenshots]

Takes about 20 minutes on 2 shared cores (the runs are real). Needs `make test-models` first.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    parser.add_argument("--n", type=int, default=150, help="examples in the sample task")
    parser.add_argument("--same-model", action="store_true",
                        help="the second run (Compare runs) on SmolLM2 too, not Gemma 3 270M: minutes faster")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    from fetch_test_models import gemma3_path, smollm2_path
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from debop_desktop.core.store import open_store
    from debop_desktop.ui.main_window import MainWindow
    from debop_desktop.ui.tasks_page import SampleTaskDialog

    model = smollm2_path()
    if not model.is_file():
        print("SmolLM2 is missing: run `make test-models` first.")
        return 1
    app = QApplication.instance() or QApplication([])
    work = Path(tempfile.mkdtemp(prefix="debop-shots-"))
    store = open_store(work / "home")
    window = MainWindow(store, QSettings(str(work / "ui.ini"), QSettings.Format.IniFormat))
    window.resize(1280, 800)
    window.show()

    def wait(predicate, seconds: float) -> None:
        end = time.monotonic() + seconds
        while not predicate() and time.monotonic() < end:
            app.processEvents()
            time.sleep(0.02)
        app.processEvents()

    def shoot(name: str, widget=None) -> None:
        wait(lambda: False, 0.3)
        (widget or window).grab().save(str(out / f"{name}.png"))
        print("saved", out / f"{name}.png")

    shoot("0-first-run")  # the empty window: the checklist
    # 1. Models: add SmolLM2 (it is selected when added), say hello
    window.show_page(window.models_page)
    models = window.models_page
    models.add_path(str(model))
    wait(lambda: models.table_model.rowCount() == 1 and models.add_button.isEnabled(), 60)
    models.details.say_hello()
    wait(lambda: models.details.hello_button.isEnabled(), 60)
    shoot("1-models")
    # 2. Tasks: a sample task, made through the dialog
    window.show_page(window.tasks_page)
    dialog = SampleTaskDialog(window.tasks_page)
    dialog.task.setCurrentIndex(dialog.task.findData("boolean_expressions"))  # True/False: a table of mistakes
    dialog.n.setValue(args.n)
    dialog.accept()
    window.tasks_page.new_sample(dialog)
    shoot("2-tasks")
    # 3. Optimize: a Quick run, pictured while the tree grows and when it is done
    window.show_page(window.optimize_page)
    page = window.optimize_page
    page.refresh_choices()
    page.preset_box.setCurrentIndex(page.preset_box.findData("quick"))
    page.start()
    wait(lambda: len(page.tree.nodes) >= 3 or page.controller.state == "idle", 900)  # a Quick run makes ~5
    shoot("3-optimize-running")
    print("tuning started", time.strftime("%H:%M:%S"), flush=True)
    wait(lambda: page.controller.state == "idle", 1800)
    if page.tree.best is not None:
        page.show_node(page.tree.best)
    shoot("4-optimize-done")
    # 4. Results: the run, its test scores, a changed question with both raw outputs
    window.show_page(window.results_page)
    results = window.results_page
    results.examples.selectRow(0)  # the finished run is selected already
    results.tabs.setCurrentIndex(1)
    shoot("5-results")
    results.tabs.setCurrentIndex(0)
    shoot("5b-results-what-ships")
    mistakes = results.mistakes
    results.tabs.setCurrentIndex(results.tabs.indexOf(mistakes.parentWidget().parentWidget()))  # in its scroll area
    wrong = [(r, c) for r in range(mistakes.table.rowCount()) for c in range(mistakes.table.columnCount())
             if r != c and (mistakes.table.item(r, c) or None) and mistakes.table.item(r, c).text() not in ("", "0")]
    if wrong:
        mistakes.show_cell(*wrong[0])  # the questions of one kind of mistake
    shoot("5c-results-mistakes")
    # 5. Playground: a test question, untuned and tuned side by side
    window.show_page(window.playground_page)
    play = window.playground_page
    play.refresh()
    play.use_test_question()
    play.ask()
    wait(lambda: not play.busy, 300)
    shoot("6-playground")
    window.show_page(window.settings_page)
    shoot("7-settings")
    # 5d. A second run on the same task with Gemma 3 270M (when fetched), a first look (no search),
    # then Compare runs: each run by its model and date, and what each keeps
    if gemma3_path().is_file() and not args.same_model:
        window.show_page(window.models_page)
        models.add_path(str(gemma3_path()))
        wait(lambda: models.table_model.rowCount() == 2 and models.add_button.isEnabled(), 60)
    window.show_page(window.optimize_page)
    page.refresh_choices()
    gemma = [i for i in range(page.model_box.count()) if "gemma" in page.model_box.itemText(i).lower()]
    page.model_box.setCurrentIndex(gemma[0] if gemma else 0)
    page.advanced.setChecked(True)
    page.advanced.controls["search"].setChecked(False)
    page.start()
    wait(lambda: page.controller.state != "idle", 30)
    wait(lambda: page.controller.state == "idle", 1800)
    window.show_run(None)
    results.refresh(select=page.run_id)
    results.tabs.setCurrentIndex(results.tabs.indexOf(results.compare))
    shoot("5d-results-compare")
    # 6. The import wizard's column page, on a small CSV
    from debop_desktop.ui.import_wizard import ImportWizard

    csv = work / "tickets.csv"
    rows = [(f"Printer {i} is on fire", "high") if i % 3 == 0 else (f"Mouse {i} squeaks", "low") for i in range(40)]
    csv.write_text("ticket;urgency\n" + "".join(f"{q};{a}\n" for q, a in rows))
    wizard = ImportWizard(store, window)
    wizard.file_page.path.setText(str(csv))
    wizard.show()
    wizard.next()
    shoot("8-import-wizard", wizard)
    wizard.close()
    # 7. A file with repeated questions, imported as it is: the Tasks page says so and shows them
    from debop_desktop.core.datasets.importer import commit_import, plan_import
    from debop_desktop.core.datasets.repository import DatasetRepository

    doses = [(f"Is {5 * (i % 12 + 1)} mg/kg of drug {'ABCDE'[i % 5]} within the daily limit for a child?",
              ("yes", "no")[i % 3 == 0]) for i in range(60)]
    doses += doses[:5]  # five questions pasted twice at the end of the sheet
    dosing = work / "dosing.csv"
    dosing.write_text("question,answer\n" + "".join(f"{q},{a}\n" for q, a in doses), encoding="utf-8")
    imported = commit_import(DatasetRepository(store), plan_import(dosing), name="dosing questions").dataset
    window.show_page(window.tasks_page)
    window.tasks_page.refresh(select=imported.id)
    window.tasks_page.duplicates.show_button.click()
    shoot("9-tasks-duplicates")
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
