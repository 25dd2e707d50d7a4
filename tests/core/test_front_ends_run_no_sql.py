"""Widgets and the CLI read and write through the core (repositories, run views), never SQL
(STYLE.md: "Widgets never run SQL")."""

import re
from pathlib import Path

import debop_desktop

ROOT = Path(debop_desktop.__file__).parent
SQL = re.compile(r"import sqlite3|\.execute\(|\.executemany\(|\.query\("
                 r"|\b(SELECT|INSERT INTO|UPDATE \w+ SET|DELETE FROM)\b")


def test_no_widget_or_command_module_runs_sql():
    found = [f"{path.relative_to(ROOT)}:{n}: {line.strip()}"
             for folder in ("ui", "cli") for path in sorted((ROOT / folder).rglob("*.py"))
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if SQL.search(line)]
    assert found == []


def test_the_check_sees_sql_where_there_is_some():
    assert SQL.search('store.execute("SELECT status FROM runs")') and SQL.search("import sqlite3")
    assert not SQL.search("self.execute_later()")
