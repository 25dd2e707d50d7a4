"""Issue 20 part 3 item 5 in the import wizard: a workbook's hidden first sheet is not read
unless chosen, and the pages name the sheet they show."""

import sys
from pathlib import Path

from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QWizard

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_import_wizard import press, start  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "core"))
from test_xlsx_import import workbook_with_a_hidden_first_sheet  # noqa: E402


def test_the_wizard_reads_the_visible_sheet_names_it_and_offers_the_hidden_one(qtbot, store, tmp_path):
    path = workbook_with_a_hidden_first_sheet(tmp_path / "tickets.xlsx")
    _page, wizard = start(qtbot, store, path)
    press(qtbot, wizard)
    assert wizard.currentPage() is wizard.columns_page
    assert wizard.table.sheet == "Tickets" and wizard.columns_page.preview.item(0, 0).text().startswith("Ticket 0")
    source = wizard.columns_page.source
    assert source.isVisible() and "the sheet 'Tickets'" in source.text()
    assert "Hidden sheets were left out: 'Lookup'" in source.text() and "go Back" in source.text()
    sheets = wizard.file_page.sheet
    assert [sheets.itemText(i) for i in range(sheets.count())] == ["Lookup (hidden)", "Tickets"]
    assert sheets.currentData() == "Tickets"
    for _ in range(3):
        press(qtbot, wizard)
    assert wizard.currentPage() is wizard.report_page
    report = QTextDocument()
    report.setHtml(wizard.report_page.report.text())
    assert "12 rows read from tickets.xlsx (sheet 'Tickets')." in report.toPlainText()
    assert "Hidden sheets were left out: 'Lookup'" in report.toPlainText()
    wizard.back()
    wizard.back()
    wizard.back()
    wizard.back()
    assert wizard.currentPage() is wizard.file_page
    sheets.setCurrentIndex(0)  # chosen by name, the hidden sheet is read
    press(qtbot, wizard, QWizard.WizardButton.NextButton)
    assert wizard.table.sheet == "Lookup" and wizard.table.headers == ["code", "meaning"]
