"""Every page at a small (1024×640) and a large (1920×1080) screen: no label cut off, no table
column pushed out of sight, and a picture of each (set DEBOP_UI_SHOTS=DIR to keep them)."""

import os
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QLabel, QScrollArea, QTableView

from debop_desktop.core.datasets.repository import DatasetRepository, NewExample
from debop_desktop.ui.main_window import MainWindow

SIZES = {"small": (1024, 640), "large": (1920, 1080)}
FRAME = (24, 40)  # room a window manager's frame and a panel take on a real screen


@pytest.fixture
def window(qtbot, store, runs, tmp_path):
    repo = DatasetRepository(store)
    [task] = repo.list()
    for e in repo.examples(task.id, "test")[:3]:  # repeats, so the Tasks page shows its line about them
        repo.add_example(task.id, NewExample(e.input, e.answer, "train"))
    w = MainWindow(store, QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    return w


def clipped_labels(root):
    """Visible labels narrower than their text (one line), or shorter than their wrapped text."""
    problems = []
    for label in root.findChildren(QLabel):
        if not label.isVisible() or not label.text() or label.width() == 0:
            continue
        if label.wordWrap():
            need = label.heightForWidth(label.width())
            if need > label.height() + 1:
                problems.append((label.text()[:60], "height", label.height(), need))
        elif label.width() + 1 < label.minimumSizeHint().width():
            problems.append((label.text()[:60], "width", label.width(), label.minimumSizeHint().width()))
    return problems


def hidden_columns(root):
    """Header sections of a visible table that are narrower than their own title, or lie
    (partly) outside the table's viewport, where only a scroll bar would reach them."""
    problems = []
    for view in root.findChildren(QTableView):
        if not view.isVisible() or view.model() is None:
            continue
        header, width = view.horizontalHeader(), view.viewport().width()
        metrics = header.fontMetrics()
        for column in range(header.count()):
            if header.isSectionHidden(column):
                continue
            title = str(view.model().headerData(column, header.orientation()) or "")
            right = header.sectionViewportPosition(column) + header.sectionSize(column)
            left = header.sectionViewportPosition(column)
            if header.sectionSize(column) < metrics.horizontalAdvance(title) or left < 0 or right > width + 1:
                problems.append((title, header.sectionSize(column), left, right, width))
    return problems


def cut_off_scroll_areas(root):
    """Scroll areas that cannot scroll sideways but hold something wider than they are."""
    return [(area.widget().width(), area.viewport().width()) for area in root.findChildren(QScrollArea)
            if area.isVisible() and area.widget() is not None
            and area.horizontalScrollBarPolicy() == Qt.ScrollBarPolicy.ScrollBarAlwaysOff
            and area.widget().width() > area.viewport().width()]


def test_the_first_window_fits_a_1024_by_640_screen(qtbot, store, tmp_path):
    w = MainWindow(store, QSettings(str(tmp_path / "fresh.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(w)
    assert w.width() + FRAME[0] <= 1024 and w.height() + FRAME[1] <= 640
    minimum = w.minimumSizeHint()
    assert minimum.width() + FRAME[0] <= 1024 and minimum.height() + FRAME[1] <= 640


@pytest.mark.parametrize("size", list(SIZES))
def test_every_page_shows_its_labels_and_columns_whole(qtbot, window, size):
    width, height = SIZES[size]
    width, height = (width - FRAME[0], height - FRAME[1]) if size == "small" else (width, height)
    window.resize(width, height)
    shots = os.environ.get("DEBOP_UI_SHOTS")
    for row in range(window.sidebar.count()):
        window.sidebar.setCurrentRow(row)
        page = window.pages.currentWidget()
        if page is window.results_page:
            page.examples.selectRow(0)
        if page is window.optimize_page:
            page.advanced.setChecked(True)  # every setting on screen, in the narrow left column
        QApplication.processEvents()
        qtbot.wait(50)
        name = window.sidebar.item(row).text()
        if page is window.tasks_page:
            assert page.duplicates.isVisible() and page.duplicates.show_button.isVisible(), size
        assert (window.width(), window.height()) == (width, height), (size, name)  # no page makes it grow
        assert clipped_labels(window) == [], (size, name)
        assert hidden_columns(window) == [], (size, name)
        assert cut_off_scroll_areas(window) == [], (size, name)
        if shots:
            Path(shots).mkdir(parents=True, exist_ok=True)
            assert window.grab().save(str(Path(shots) / f"{size}-{row + 1}-{name.lower()}.png"))


@pytest.mark.parametrize("size", list(SIZES))
def test_the_results_views_show_whole_with_every_tab_full(qtbot, store, runs, tiny_gguf, tmp_path, size):
    """Issue 25's views at both screens: the verdict with its reason, the Verdict column, the
    chart marking what is used, the Mistakes tab with a cell's questions, the 'What ships' tab,
    the tree with a try's details and Compare runs by model and date."""
    from full_window import every_view, label_runs, open_window

    finished, _ = runs
    ids = [finished.run_id, *label_runs(store, tiny_gguf)]
    width, height = SIZES[size]
    width, height = (width - FRAME[0], height - FRAME[1]) if size == "small" else (width, height)
    window = open_window(qtbot, store, tmp_path, (width, height))
    shots = os.environ.get("DEBOP_UI_SHOTS")
    for i, view in enumerate(every_view(qtbot, window, ids)):
        if not view.startswith("Results"):
            continue
        assert (window.width(), window.height()) == (width, height), (size, view)
        assert clipped_labels(window) == [], (size, view)
        assert hidden_columns(window) == [], (size, view)
        assert cut_off_scroll_areas(window) == [], (size, view)
        if shots:
            Path(shots).mkdir(parents=True, exist_ok=True)
            assert window.grab().save(str(Path(shots) / f"{size}-results-{i:02d}.png"))
