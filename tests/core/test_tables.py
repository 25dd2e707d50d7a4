import csv
import io
import json

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from debop_desktop.core.datasets.tables import DatasetFileError, read_table


def write(tmp_path, name, data):
    p = tmp_path / name
    p.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return p


def expect_error(path, *words, **kw):
    with pytest.raises(DatasetFileError) as info:
        read_table(path, **kw)
    text = info.value.message.lower()
    assert all(w.lower() in text for w in words), text
    return info.value


def test_plain_utf8_csv(tmp_path):
    t = read_table(write(tmp_path, "a.csv", "question,answer\nWhat is 2+2?,4\n\"Hello, you\",hi\n"))
    assert t.headers == ["question", "answer"] and t.rows == [["What is 2+2?", "4"], ["Hello, you", "hi"]]
    assert (t.format, t.encoding, t.delimiter, t.line_numbers) == ("csv", "utf-8", ",", [2, 3])


def test_excel_style_csv_with_bom_and_semicolons(tmp_path):
    data = "\ufeffTicket;Urgency\r\nDrucker brennt;hoch\r\nPasswort;niedrig\r\n".encode()
    t = read_table(write(tmp_path, "export.csv", data))
    assert t.headers == ["Ticket", "Urgency"] and t.encoding == "utf-8-bom" and t.delimiter == ";"
    assert t.rows[0] == ["Drucker brennt", "hoch"]


def test_windows_1252_falls_back(tmp_path):
    data = "name,answer\ncafé – crème,oui\n".encode("cp1252")
    t = read_table(write(tmp_path, "w.csv", data))
    assert t.encoding == "cp1252" and t.rows == [["café – crème", "oui"]]


def test_tsv_and_quoted_newlines(tmp_path):
    t = read_table(write(tmp_path, "a.tsv", 'q\ta\n"line one\nline two"\tx\n'))
    assert t.rows == [["line one\nline two", "x"]] and t.delimiter == "\t"


def test_trailing_empty_cells_and_blank_lines_are_tolerated(tmp_path):
    t = read_table(write(tmp_path, "a.csv", "q,a\n\n1,2,,\n3,4\n"))
    assert t.rows == [["1", "2"], ["3", "4"]]


def test_ragged_rows_are_reported_with_lines(tmp_path):
    err = expect_error(write(tmp_path, "r.csv", "q,a\n1,2\n3\n4,5,6\n"), "different number", "header")
    assert "line 3, 4" in err.message


def test_unclosed_quote(tmp_path):
    expect_error(write(tmp_path, "q.csv", 'q,a\n"never closed,1\n2,3\n'), "quote", "line")


def test_stray_quote_after_field(tmp_path):
    expect_error(write(tmp_path, "q.csv", 'q,a\n"x"y,2\n'), "quote", "line 2")


@pytest.mark.parametrize("content,words", [
    (b"", ["empty"]), (b"   \n\n", ["empty"]), (b"question,answer\n", ["no examples"]),
    (bytes(range(256)) * 4, ["does not look like"]), (b"PK\x03\x04garbage", ["compressed"]),
])
def test_unusable_files(tmp_path, content, words):
    expect_error(write(tmp_path, "bad.csv", content), *words)


def test_missing_file(tmp_path):
    expect_error(tmp_path / "nope.csv", "no file")


def test_jsonl(tmp_path):
    lines = [{"input": "a", "target": 1}, {"input": "b", "target": 2.0, "extra": True}]
    t = read_table(write(tmp_path, "d.jsonl", "\n".join(json.dumps(x) for x in lines) + "\n\n"))
    assert t.headers == ["input", "target", "extra"] and t.rows == [["a", "1", ""], ["b", "2", "True"]]


def test_jsonl_bad_line_and_non_object(tmp_path):
    expect_error(write(tmp_path, "d.jsonl", '{"a": 1}\n{"a": \n'), "line 2", "not valid json")
    expect_error(write(tmp_path, "e.jsonl", '{"a": 1}\n[1, 2]\n'), "line 2", "not an object")


def test_json_list_and_bigbench_shapes(tmp_path):
    t = read_table(write(tmp_path, "l.json", json.dumps([{"q": "x", "a": "y"}])))
    assert t.headers == ["q", "a"] and t.rows == [["x", "y"]]
    bb = {"canary": "c", "examples": [{"input": "2+2", "target": "4"}, {"input": "3+3", "target": ["6"]}]}
    t = read_table(write(tmp_path, "bb.json", json.dumps(bb)))
    assert t.rows == [["2+2", "4"], ["3+3", "6"]]


def test_json_wrong_shape_and_invalid(tmp_path):
    expect_error(write(tmp_path, "s.json", json.dumps({"rows": 3})), "not a list of examples")
    expect_error(write(tmp_path, "i.json", "{not json"), "not valid json")


def test_xlsx_with_sheet_choice(tmp_path):
    book = openpyxl.Workbook()
    first = book.active
    first.title = "Notes"
    first.append(["ignore", "me"])
    first.append(["x", "y"])
    data = book.create_sheet("Cases")
    data.append(["Symptoms", "Age", "Triage"])
    data.append(["chest pain", 54, "urgent"])
    data.append(["cough", 31.0, "routine"])
    path = tmp_path / "cases.xlsx"
    book.save(path)
    t = read_table(path, sheet="Cases")
    assert t.headers == ["Symptoms", "Age", "Triage"] and t.sheets == ["Notes", "Cases"]
    assert t.rows == [["chest pain", "54", "urgent"], ["cough", "31", "routine"]]
    assert read_table(path).sheet == "Notes"  # the first sheet by default
    expect_error(path, "no sheet named", "Cases", sheet="Missing")


def test_damaged_xlsx(tmp_path):
    expect_error(write(tmp_path, "broken.xlsx", b"PK\x03\x04" + b"\x00" * 200), "excel")


cells = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\r"),
                max_size=20)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.tuples(cells, cells), min_size=1, max_size=15), delimiter=st.sampled_from(",;\t"))
def test_csv_round_trip(tmp_path, rows, delimiter):
    """Whatever a spreadsheet writes with proper quoting reads back cell for cell."""
    rows = [r for r in rows if any(c.strip() for c in r)]
    if not rows:
        return
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, quoting=csv.QUOTE_ALL, lineterminator="\n")
    writer.writerow(["question", "answer"])
    writer.writerows(rows)
    path = write(tmp_path, "rt.tsv" if delimiter == "\t" else "rt.csv", buf.getvalue())
    t = read_table(path)
    assert t.rows == [list(r) for r in rows]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=2000))
def test_arbitrary_bytes_never_crash(tmp_path, data):
    path = write(tmp_path, "any.csv", data)
    try:
        t = read_table(path)
    except DatasetFileError:
        return
    assert t.rows and all(len(r) == len(t.headers) for r in t.rows)
