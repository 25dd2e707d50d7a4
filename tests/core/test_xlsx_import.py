"""Issue 20 part 3 item 5: a workbook imports the sheet a person sees, dates as the cells
show them, and a formula without its saved value stops only an import that uses its column."""

import datetime as dt

import openpyxl
import pytest

from debop_desktop.cli import main
from debop_desktop.core.datasets.importer import plan_import
from debop_desktop.core.datasets.mapping import ColumnMapping
from debop_desktop.core.datasets.tables import DatasetFileError, read_table


def workbook_with_a_hidden_first_sheet(path):
    book = openpyxl.Workbook()
    lookup = book.active
    lookup.title = "Lookup"
    lookup.append(["code", "meaning"])
    lookup.append(["U1", "urgent"])
    lookup.sheet_state = "hidden"
    data = book.create_sheet("Tickets")
    data.append(["question", "answer"])
    for i in range(12):
        data.append([f"Ticket {i}: the printer is on fire", ("low", "high")[i % 2]])
    book.save(path)
    return path


def test_a_hidden_first_sheet_is_left_out_unless_chosen(tmp_path):
    path = workbook_with_a_hidden_first_sheet(tmp_path / "tickets.xlsx")
    table = read_table(path)  # before: the hidden "Lookup" sheet was read as the task
    assert table.sheet == "Tickets" and table.headers == ["question", "answer"] and len(table.rows) == 12
    assert table.sheets == ["Lookup", "Tickets"] and table.hidden_sheets == ["Lookup"]
    assert table.sheet_words() == "sheet 'Tickets'" and "'Lookup'" in table.hidden_note()
    chosen = read_table(path, sheet="Lookup")  # chosen by name, it is read
    assert chosen.sheet == "Lookup" and chosen.rows == [["U1", "urgent"]] and chosen.hidden_note() == ""


def test_the_command_line_names_the_sheet_it_read_and_the_hidden_ones(capsys, home, tmp_path):
    path = workbook_with_a_hidden_first_sheet(tmp_path / "tickets.xlsx")
    code = main(["--home", str(home), "datasets", "import", str(path), "--dry-run"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "Read 12 rows from tickets.xlsx (XLSX, sheet 'Tickets')" in out
    assert "Hidden sheets were left out: 'Lookup'" in out and "--sheet" in out
    code = main(["--home", str(home), "--json", "datasets", "import", str(path), "--dry-run"])
    assert code == 0 and '"sheet": "Tickets"' in capsys.readouterr().out


def test_dates_read_as_the_cells_show_them(tmp_path):
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["question", "answer"])
    cells = [(dt.datetime(2024, 1, 1), "yyyy-mm-dd", "2024-01-01"),
             (dt.datetime(2024, 3, 5), "d/m/yyyy", "2024-03-05"),
             (dt.datetime(2024, 3, 5), "mmm yy", "2024-03-05"),
             (dt.datetime(2024, 3, 5, 13, 45), "m/d/yyyy h:mm", "2024-03-05 13:45"),
             (dt.datetime(2024, 3, 5, 13, 45, 10), "yyyy-mm-dd hh:mm:ss", "2024-03-05 13:45:10"),
             (dt.time(9, 30), "h:mm", "09:30")]
    for n, (value, fmt, _shown) in enumerate(cells, start=2):
        ws.append([f"When is event {n}?", value])
        ws.cell(row=n, column=2).number_format = fmt
    path = tmp_path / "dates.xlsx"
    book.save(path)
    answers = [row[1] for row in read_table(path).rows]
    assert answers == [shown for _value, _fmt, shown in cells]  # before: "2024-01-01 00:00:00"


def workbook_with_an_unsaved_formula_in(path, column):
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["question", "answer", "scratch"])
    for i in range(6):
        ws.append([f"{i} + {i}", 2 * i, None])
    ws.cell(row=3, column=column).value = "=1+1"  # openpyxl saves the formula without its result
    book.save(path)
    return path


def test_a_formula_without_its_value_in_an_unused_column_does_not_stop_the_import(tmp_path):
    path = workbook_with_an_unsaved_formula_in(tmp_path / "scratch.xlsx", column=3)
    table = read_table(path)
    assert table.unsaved_formulas == {"scratch": ["C3"]}
    plan = plan_import(path, mapping=ColumnMapping(["question"], "answer"))  # before: refused for C3
    assert len(plan.rows) == 6 and [r.answer for r in plan.rows][:2] == ["0", "2"]
    with pytest.raises(DatasetFileError) as info:  # used as notes, the column is read: refused
        plan_import(path, mapping=ColumnMapping(["question"], "answer", notes_column="scratch"))
    assert "'scratch'" in info.value.message and "C3" in info.value.message


def test_a_formula_without_its_value_in_the_answer_column_still_stops_it(tmp_path):
    path = workbook_with_an_unsaved_formula_in(tmp_path / "answers.xlsx", column=2)
    with pytest.raises(DatasetFileError) as info:
        plan_import(path, mapping=ColumnMapping(["question"], "answer"))
    assert "'answer'" in info.value.message and "B3" in info.value.message and "save it again" in info.value.message
