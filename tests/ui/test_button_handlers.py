"""Buttons do what they say: `clicked(bool)` never arrives as a handler's file path or dialog.

PySide6 passes a signal's arguments to a slot that can take them, so a handler written as
`export_current(self, path=None)` and connected with `clicked.connect(self.export_current)`
is called with path=False (issue 20: the Tasks page's Export… did nothing but log a TypeError).
"""

from __future__ import annotations

import ast
import csv
import importlib
import inspect
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox, QPushButton

from debop_desktop.core.datasets.repository import DatasetRepository, NewExample

UI = Path(__file__).resolve().parents[2] / "debop_desktop" / "ui"
BOOL_SIGNALS = ("clicked", "triggered", "toggled")


def _connections():
    """(file, line, signal, class name, handler expression) for every `x.clicked.connect(h)`,
    `x.triggered.connect(h)` and `x.toggled.connect(h)` in debop_desktop/ui."""
    for path in sorted(UI.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for cls in (n for n in ast.walk(tree) if isinstance(n, ast.ClassDef)):
            for call in (n for n in ast.walk(cls) if isinstance(n, ast.Call)):
                f = call.func
                if (isinstance(f, ast.Attribute) and f.attr == "connect" and isinstance(f.value, ast.Attribute)
                        and f.value.attr in BOOL_SIGNALS and call.args):
                    yield path, call.lineno, f.value.attr, cls, call.args[0]


def _attribute_types(cls: ast.ClassDef, module) -> dict[str, type]:
    """`self.x = SomeClass(...)` in a class body: x -> SomeClass (from the module's names)."""
    types = {}
    for node in ast.walk(cls):
        if not (isinstance(node, ast.Assign) and isinstance(node.value, ast.Call)
                and isinstance(node.value.func, ast.Name)):
            continue
        found = getattr(module, node.value.func.id, None)
        for target in node.targets:
            if isinstance(target, ast.Attribute) and ast.unparse(target.value) == "self" and isinstance(found, type):
                types[target.attr] = found
    return types


def _handler(expr: ast.expr, cls: ast.ClassDef, module):
    """The function a handler expression names (None for a Qt method or a signal, which take
    the bool on purpose or forward it); a lambda is returned as its AST node."""
    if isinstance(expr, ast.Lambda):
        return expr
    chain = []
    while isinstance(expr, ast.Attribute):
        chain.insert(0, expr.attr)
        expr = expr.value
    assert isinstance(expr, ast.Name) and expr.id == "self", f"unexpected handler {ast.dump(expr)}"
    owner = getattr(module, cls.name)
    if len(chain) == 2:
        owner = _attribute_types(cls, module).get(chain[0])
        assert owner is not None, f"cannot tell the class of self.{chain[0]}; connect a lambda instead"
    assert len(chain) <= 2, f"handler self.{'.'.join(chain)} is too deep to check; connect a lambda instead"
    target = inspect.getattr_static(owner, chain[-1])
    if not inspect.isfunction(target):
        return None  # a Qt method (setVisible takes toggled's bool on purpose) or a Signal
    return target


def _first_positional(handler) -> str | None:
    """The parameter that receives the signal's bool, or None when the handler takes none."""
    if isinstance(handler, ast.Lambda):
        names = [a.arg for a in handler.args.posonlyargs + handler.args.args]
        return names[0] if names else None
    params = [p for p in inspect.signature(handler).parameters.values()
              if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    return params[1].name if len(params) > 1 else None  # params[0] is self


def test_no_handler_takes_the_clicked_bool_as_something_else():
    wrong, seen = [], 0
    for path, line, signal, cls, expr in _connections():
        module = importlib.import_module(f"debop_desktop.ui.{path.stem}")
        handler = _handler(expr, cls, module)
        seen += 1
        receiver = _first_positional(handler) if handler is not None else None
        if receiver is None or receiver.startswith("_"):  # `_checked`: taken and ignored on purpose
            continue
        if signal == "toggled" and receiver in ("checked", "on", "visible"):
            continue  # a toggle handler that wants the new state
        wrong.append(f"{path.name}:{line} {signal} -> {ast.unparse(expr)} gets the bool as '{receiver}'")
    assert seen >= 30  # the scan found the page buttons (a broken scan must not pass)
    assert wrong == []


@pytest.fixture
def task(store):
    return DatasetRepository(store).create(name="Capitals", scorer="exact", instruction="Name the capital.", examples=[
        NewExample(f"Capital of country {i}?", f"City {i}", ("train", "dev", "test")[i % 3]) for i in range(9)])


def test_tasks_page_export_button_writes_the_chosen_file(qtbot, store, task, tmp_path, monkeypatch):
    from debop_desktop.ui.tasks_page import TasksPage

    target = tmp_path / "capitals.csv"
    asked = []

    def save_dialog(*args, **kwargs):
        asked.append(args[1])
        return str(target), "CSV for spreadsheets (*.csv)"

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_dialog)
    page = TasksPage(store)
    qtbot.addWidget(page)
    page.show()
    assert page.export_button.isEnabled()
    qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    assert asked == ["Export examples"]  # the person was asked where to save
    with target.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 9
    assert {r["input"] for r in rows} == {f"Capital of country {i}?" for i in range(9)}
    assert {r["input"]: r["answer"] for r in rows}["Capital of country 4?"] == "City 4"


def answer_every_dialog(monkeypatch, tmp_path, opened):
    """Every file dialog gets a path in tmp_path, every question No, every dialog Cancel."""
    def save(parent, title, name="", *rest, **kw):
        opened.append(title)
        return str(tmp_path / Path(name or "file").name), (rest[0].split(";;")[0] if rest else "")

    def choose_nothing(parent, title, *rest, **kw):
        opened.append(title)
        return "", ""

    def say_no(parent, title, *rest, **kw):
        opened.append(title)
        return QMessageBox.StandardButton.No

    def cancel(dialog):
        opened.append(dialog.windowTitle())
        return QDialog.DialogCode.Rejected.value

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", choose_nothing)
    monkeypatch.setattr(QMessageBox, "question", say_no)
    monkeypatch.setattr(QDialog, "exec", cancel)
    monkeypatch.setattr(QDialog, "open", lambda dialog: opened.append(dialog.windowTitle()))


def test_every_tasks_and_results_button_works_when_clicked(qtbot, store, runs, tmp_path, monkeypatch):
    """Click each enabled button as a person would, with the dialogs answered: none raises
    (pytest-qt fails a test on an exception in a slot), and each that writes a file writes it."""
    from debop_desktop.ui.results_page import ResultsPage
    from debop_desktop.ui.tasks_page import TasksPage

    opened: list[str] = []
    answer_every_dialog(monkeypatch, tmp_path, opened)
    for page, expected in ((TasksPage(store), 6), (ResultsPage(store), 1)):
        qtbot.addWidget(page)
        page.show()
        buttons = [b for b in page.findChildren(QPushButton) if b.isVisible() and b.isEnabled()]
        assert len(buttons) >= expected, type(page).__name__
        for button in buttons:
            if button.isVisible() and button.isEnabled():
                qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert {"Export examples", "Export the tuned behavior", "Delete task"} <= set(opened)
    assert (tmp_path / "examples.csv").is_file() and (tmp_path / f"run-{runs[0].run_id}.txt").is_file()
