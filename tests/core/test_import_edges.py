"""Issue 15 item 6 (and the import parts of item 5): files that used to mislead."""

import os

import openpyxl
import pytest

from debop_desktop.core.datasets import tables
from debop_desktop.core.datasets.importer import plan_import
from debop_desktop.core.datasets.tables import DatasetFileError, read_table


def refused(path, *words):
    with pytest.raises(DatasetFileError) as info:
        read_table(path)
    assert all(w in info.value.message for w in words), info.value.message
    return info.value.message


def test_a_cell_over_128_kib_imports(tmp_path):
    big = "word " * 60_000  # 300,000 characters: over Python's default csv limit of 131,072
    path = tmp_path / "long.csv"
    path.write_text(f'question,answer\n"{big}",yes\nshort,no\n', encoding="utf-8")
    t = read_table(path)  # before: "a quote mark that is never closed"
    assert t.rows[0][0] == big and t.rows[1] == ["short", "no"]


def test_a_cell_over_the_real_limit_is_named_plainly(tmp_path, monkeypatch):
    monkeypatch.setattr(tables, "MAX_CELL_CHARS", 200_000)
    path = tmp_path / "huge.csv"
    path.write_text("question,answer\nfine,1\n" + "x" * 250_000 + ",2\n", encoding="utf-8")
    text = refused(path, "Line 3", "longer than 200,000 characters")
    assert "never closed" not in text.split(";")[0]


def test_a_csv_mixing_utf8_and_latin1_lines_reads_each_line_right_and_says_so(tmp_path):
    path = tmp_path / "mixed.csv"
    path.write_bytes("question,answer\ncafé au lait,drink\n".encode() + "crème brûlée,dessert\n".encode("latin-1")
                     + "naïve,word\n".encode())
    t = read_table(path)
    assert [r[0] for r in t.rows] == ["café au lait", "crème brûlée", "naïve"]  # before: 'cafÃ©' style garbage
    assert t.encoding == "utf-8 + cp1252" and t.mixed_encoding_lines == [3]
    plan = plan_import(path)
    warning = next(i for i in plan.report.warnings if i.kind == "mixed_encoding")
    assert warning.lines == [3] and "line 3" in warning.message


def test_a_whole_windows_file_is_still_read_as_windows(tmp_path):
    path = tmp_path / "win.csv"
    path.write_bytes("question,answer\ncafé,€5\n".encode("cp1252"))
    t = read_table(path)
    assert t.rows == [["café", "€5"]] and t.encoding == "cp1252" and t.mixed_encoding_lines == []


def test_utf16_unicode_text_from_excel_imports(tmp_path):
    path = tmp_path / "unicode.txt"  # Excel's "Unicode text": UTF-16 LE with a mark, tab-separated
    path.write_bytes("\ufeffquestion\tanswer\r\nÜbung eins\tja\r\nzwei\tnein\r\n".encode("utf-16-le"))
    t = read_table(path)  # before: "does not look like a spreadsheet or text file"
    assert t.headers == ["question", "answer"] and t.rows == [["Übung eins", "ja"], ["zwei", "nein"]]
    assert (t.encoding, t.delimiter) == ("utf-16", "\t")


def test_old_mac_line_endings(tmp_path):
    path = tmp_path / "mac.csv"
    path.write_bytes(b"question,answer\r1+1,2\r2+2,4\r")
    assert read_table(path).rows == [["1+1", "2"], ["2+2", "4"]]


def test_excel_formulas_without_saved_values_are_named(tmp_path):
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["question", "answer"])
    ws.append(["2 + 2", 4])
    ws.append(["3 + 3", "=3+3"])  # openpyxl writes the formula only, as many programs do
    ws.append(["4 + 4", "=4+4"])
    path = tmp_path / "formulas.xlsx"
    book.save(path)
    with pytest.raises(DatasetFileError) as info:
        plan_import(path)  # the answer column is used: refused when planned
    assert "formulas" in info.value.message and "B3, B4" in info.value.message  # before: two missing answers


def test_empty_cells_without_formulas_still_read(tmp_path):
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["question", "answer", "notes"])
    ws.append(["2 + 2", 4, None])
    path = tmp_path / "plain.xlsx"
    book.save(path)
    assert read_table(path).rows == [["2 + 2", "4", ""]]


@pytest.mark.parametrize("name", ["deep.json", "deep.jsonl"])
def test_deeply_nested_json_is_a_plain_refusal(tmp_path, name):
    path = tmp_path / name
    path.write_text('{"input": ' + "[" * 100_000 + "]" * 100_000 + ', "answer": 1}\n')
    refused(path, "too deeply")  # before: RecursionError, "Something unexpected went wrong"


def test_a_symlink_loop_and_a_folder_are_named_as_such(tmp_path):
    loop = tmp_path / "loop.csv"
    os.symlink(loop, loop)
    refused(loop, "leads round in a circle")  # before: "There is no file at"
    folder = tmp_path / "folder.csv"
    folder.mkdir()
    refused(folder, "is a folder")
