"""Issue 20: the Modelfile the Results page saves names itself in its Ollama commands."""

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from debop_desktop.ui.results_page import ResultsPage


def test_results_export_modelfile_says_the_saved_file_name(qtbot, store, runs, tmp_path, monkeypatch):
    finished, _ = runs
    offered = []

    def save_dialog(parent, title, name, filters):
        offered.append(name)
        return str(tmp_path / name), "Ollama Modelfile (*.Modelfile)"  # the person keeps the offered name

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_dialog)
    page = ResultsPage(store)
    qtbot.addWidget(page)
    page.show()
    page.refresh(select=finished.run_id)
    qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    written = tmp_path / f"run-{finished.run_id}.Modelfile"
    assert offered == [f"run-{finished.run_id}"] and written.is_file()
    text = written.read_text(encoding="utf-8")
    assert f"#   ollama create run-{finished.run_id} -f run-{finished.run_id}.Modelfile\n" in text
    assert f"#   ollama run run-{finished.run_id}\n" in text
    assert "'Modelfile'" not in text and " -f Modelfile" not in text and "save this text" not in text
    assert str(Path(written)) in page.hint.text()
