"""`RunRepository` owns the runs, nodes and evaluations tables (and a run's events and dead
ends): the run views, exports, the Playground, the model comparison, mistake costs and the
tasks' own housekeeping read runs through it; the recorder writes them as a run goes; the
migrations make them. No other module names them in SQL (issue 21, item 3)."""

import re
from pathlib import Path

import debop_desktop

ROOT = Path(debop_desktop.__file__).parent
OWNERS = {  # the only modules that may name the run tables in SQL, and why
    "core/optimizer/run_repository.py": "reads them for everyone",
    "core/optimizer/recorder.py": "writes a run as it goes (and reads back what it wrote, to resume)",
    "core/store/migrations.py": "makes and changes them",
}
TABLES = r"(runs|nodes|evaluations|run_events|dead_ends)"
RUN_TABLE_SQL = re.compile(rf"\b(FROM|JOIN|UPDATE|INTO|TABLE)\s+{TABLES}\b"
                           rf"|\bdb\s*\[\s*[\"']{TABLES}[\"']|\.table\(\s*[\"']{TABLES}[\"']", re.IGNORECASE)


def sql_on_run_tables(root: Path) -> list[str]:
    found = []
    for path in sorted(root.rglob("*.py")):
        if path.relative_to(root).as_posix() in OWNERS:
            continue
        text = path.read_text(encoding="utf-8")  # SQL strings may span lines: search the whole file
        found += [f"{path.relative_to(root)}:{text.count(chr(10), 0, m.start()) + 1}: {m.group(0)}"
                  for m in RUN_TABLE_SQL.finditer(text)]
    return found


def test_only_the_run_repository_the_recorder_and_the_migrations_name_the_run_tables():
    assert sql_on_run_tables(ROOT) == []


def test_the_check_finds_a_module_that_reads_the_run_tables_itself(tmp_path):
    (tmp_path / "core").mkdir()
    (tmp_path / "core" / "report.py").write_text(
        'rows = store.execute("SELECT r.*, m.name FROM models m "\n'
        '                     "JOIN runs r ON r.model_id = m.id")\n'
        'n = store.db.query("select demo_json from nodes where id = ?", [1])\n'
        'store.execute("UPDATE runs SET status = ?", ("x",))\n'
        'store.db["evaluations"].count\n')
    (tmp_path / "core" / "fine.py").write_text('data["nodes"] = view.nodes\n')
    assert sql_on_run_tables(tmp_path) == [
        "core/report.py:2: JOIN runs", "core/report.py:3: from nodes", "core/report.py:4: UPDATE runs",
        'core/report.py:5: db["evaluations"']
