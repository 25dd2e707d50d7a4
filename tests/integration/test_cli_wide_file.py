"""A file with thousands of columns: the import preview names the first ones and says how many
more there are, instead of a 69,000-character line (issue 20, part 3)."""

import pytest

from debop_desktop.cli import main
from debop_desktop.core.units import name_list


@pytest.fixture
def wide_csv(tmp_path):
    path = tmp_path / "wide.csv"
    headers = ["question", "answer"] + [f"measurement_{i:05d}" for i in range(9998)]
    rows = [",".join(headers)] + [",".join([f"What is {i} + 1?", str(i + 1)] + ["0.5"] * 9998) for i in range(6)]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_the_preview_names_twenty_columns_and_counts_the_rest(home, wide_csv, capsys):
    main(["--home", str(home), "datasets", "import", str(wide_csv), "--dry-run"])
    out = capsys.readouterr().out
    [columns] = [line for line in out.splitlines() if "Columns:" in line]
    assert len(columns) < 1000  # before: 150,000 characters
    assert "question, answer, measurement_00000" in columns and columns.endswith("… and 9,980 more")


def test_a_missing_column_names_the_file_s_columns_briefly(home, wide_csv, capsys):
    assert main(["--home", str(home), "datasets", "import", str(wide_csv), "--answer", "expected"]) == 1
    err = capsys.readouterr().err
    assert "no column named 'expected'" in err and "… and 9,980 more" in err and len(err) < 1500


def test_name_list():
    assert name_list(["a", "b"]) == "a, b"
    assert name_list([str(i) for i in range(25)], limit=3) == "0, 1, 2 … and 22 more"
    assert name_list(["x" * 100], width=10) == "x" * 9 + "…"
