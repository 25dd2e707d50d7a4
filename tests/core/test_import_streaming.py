"""Issue 15 item 8: a big import streams (rows read again in chunks, a few bytes a row kept),
gives exactly what the whole-file import gave, and a failure in any chunk leaves nothing."""

import csv
import random
import tracemalloc
from collections import defaultdict

import pytest
from hypothesis import given
from hypothesis import strategies as st

from debop_desktop.core import messages as msg
from debop_desktop.core.datasets import tables
from debop_desktop.core.datasets.importer import ImportBlocked, commit_import, plan_import, shared_questions
from debop_desktop.core.datasets.lazy_rows import LazyRows
from debop_desktop.core.datasets.mapping import SPLIT_ALIASES
from debop_desktop.core.datasets.repository import DatasetRepository, NewExample, content_hash
from debop_desktop.core.datasets.row_facts import normalized
from debop_desktop.core.datasets.splits import SplitSpec
from debop_desktop.core.datasets.tables import DatasetFileError
from debop_desktop.core.errors import DiskFull
from debop_desktop.core.scoring.scorers import normalize_text


@pytest.fixture
def streamed(monkeypatch):
    """Every file is treated as big: its rows are read again from the file, never kept."""
    monkeypatch.setattr(tables, "KEEP_ROWS", 0)


def count(store, table):
    return store.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


# -- the whole-file import as it was before streaming (the reference) ---------------------------------
def old_splits(answers, given, spec, seed, stratify):
    result = [g or "" for g in given]
    todo = [i for i, g in enumerate(given) if not g]
    n_train, n_dev, n_test = spec.targets(len(todo))
    rng = random.Random(seed)
    if stratify:
        groups = defaultdict(list)
        for i in todo:
            groups[normalize_text(answers[i])].append(i)
        keyed = []
        for key in sorted(groups):
            members = groups[key]
            rng.shuffle(members)
            offset = rng.random()
            keyed += [((j + offset) / len(members), rng.random(), i) for j, i in enumerate(members)]
        order = [i for *_, i in sorted(keyed)]
    else:
        order = rng.sample(todo, len(todo))
    for k, i in enumerate(order):
        result[i] = "test" if k < n_test else "dev" if k < n_test + n_dev else "train"
    return result


def old_repeats(questions):
    groups = defaultdict(list)
    for i, q in enumerate(questions):
        if q:
            groups[normalize_text(q)].append(i)
    return [g for g in groups.values() if len(g) > 1]


def write_rows(path, labels, n=3000, seed=7):
    """Repeats (also differently written: case, punctuation, full-width letters), conflicting
    answers, splits given in the file (some unreadable), and rows without an answer."""
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        k = rng.randrange(int(n * 0.8))
        question = rng.choice([f"Is dose {k} safe?", f"is DOSE {k} safe", f"Ｉｓ dose {k} safe!",
                               f"Ist Dosis {k} sicher? ü"])
        answer = rng.choice(["yes", "no", "Yes"]) if labels else f"{k % 11} units, {rng.choice(['ok', 'bad'])}"
        split = rng.choice(["", "", "", "", "", "", "", "test", "Training", "val", "holdout"])
        if i % 397 == 5:
            answer = ""
        rows.append([question, answer, split, f"note {i}"])
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["question", "answer", "split", "notes"])
        w.writerows(rows)
    return [(q, a, SPLIT_ALIASES.get(s.lower()) if s else None, notes, line)
            for line, (q, a, s, notes) in enumerate(rows, start=2)]


@pytest.mark.parametrize(("labels", "seed", "split"), [(True, 0, "60/20/20"), (True, 5, "50/25/25"),
                                                       (False, 3, "60/20/20"), (False, 1, "100/400/300")])
def test_streamed_import_equals_the_whole_file_import(store, tmp_path, monkeypatch, labels, seed, split):
    path = tmp_path / "doses.csv"
    reference = write_rows(path, labels)
    whole = plan_import(path)
    assert isinstance(whole.rows, list)
    monkeypatch.setattr(tables, "KEEP_ROWS", 0)
    plan = plan_import(path)
    assert isinstance(plan.rows, LazyRows) and plan.table.streamed and len(plan.rows) == len(reference)
    assert plan.report == whole.report and plan.suggestion == whole.suggestion
    assert plan.rows[:5] == whole.rows[:5] and plan.rows[-1] == whole.rows[-1]

    kept = [r for r in reference if r[1]]  # rows without an answer are left out
    issues = {i.kind: i.lines for i in plan.report.issues}
    dupes, conflicts = [], []
    for g in old_repeats([r[0] for r in reference]):
        answers = {normalize_text(reference[i][1]) for i in g}
        (conflicts if len(answers) > 1 else dupes).extend(reference[i][4] for i in g[1:])
    assert dupes and conflicts and issues["duplicate"] == sorted(dupes)
    assert issues["conflicting"] == sorted(conflicts)
    assert issues["missing_answer"] == [r[4] for r in reference if not r[1]]
    assert len(issues["bad_split"]) > 10

    repo = DatasetRepository(store)
    stratify = plan.suggestion.answer_type in ("label", "yes_no")
    assert stratify is labels
    splits = old_splits([r[1] for r in kept], [r[2] for r in kept], SplitSpec.parse(split), seed, stratify)
    result = commit_import(repo, plan, name="streamed", split=split, seed=seed, skip_invalid=True)
    again = commit_import(repo, whole, name="whole", split=split, seed=seed, skip_invalid=True)
    written = [(e.input, e.answer, e.split, e.notes) for e in repo.examples(result.dataset.id)]
    assert written == [(q, a, s, notes) for (q, a, _, notes, _), s in zip(kept, splits, strict=True)]
    assert written == [(e.input, e.answer, e.split, e.notes) for e in repo.examples(again.dataset.id)]
    assert result.dataset.content_sha256 == again.dataset.content_sha256 == content_hash(
        NewExample(q, a, s) for (q, a, *_), s in zip(kept, splits, strict=True))
    assert result.dataset.counts == {s: splits.count(s) for s in ("train", "dev", "test")}
    assert result.skipped_lines == again.skipped_lines == issues["missing_answer"]
    leaks = sum(1 for g in old_repeats([r[0] for r in kept]) if len({splits[i] for i in g}) > 1)
    assert leaks and result.split_warnings == again.split_warnings
    assert f"{leaks} question(s) appear in more than one split" in " ".join(result.split_warnings)
    assert shared_questions(plan, split=split, seed=seed) == leaks == shared_questions(whole, split=split, seed=seed)


def big_plan(tmp_path, rows=12_001):
    path = tmp_path / "big.csv"
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["q", "a"])
        w.writerows([f"Question number {i}", str(i % 2)] for i in range(rows))
    plan = plan_import(path)
    assert plan.table.streamed
    return path, plan


def nothing_left(store):
    assert count(store, "datasets") == 0 and count(store, "examples") == 0
    assert store.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_a_failure_in_the_last_chunk_leaves_no_task_and_no_rows(store, tmp_path, streamed):
    _path, plan = big_plan(tmp_path)  # chunks of 5000, 5000 and 2001 rows
    calls = []

    def progress(done, total):
        calls.append(done)
        if done == total:  # the last chunk is written, the transaction not yet committed
            raise OSError("simulated failure after the last chunk")

    with pytest.raises(OSError, match="simulated"):
        commit_import(DatasetRepository(store), plan, progress=progress)
    assert calls == [5000, 10000, 12001]
    nothing_left(store)
    assert commit_import(DatasetRepository(store), plan).dataset.size == 12_001  # the store still works


def test_a_disk_that_fills_during_the_last_chunk_leaves_no_task_and_no_rows(store, tmp_path, home, streamed):
    from debop_desktop.core.store import open_store

    _path, plan = big_plan(tmp_path)
    other = open_store(home / "measure")  # how many pages the whole import takes
    before = other.execute("PRAGMA page_count").fetchone()[0]
    commit_import(DatasetRepository(other), plan)
    needed = other.execute("PRAGMA page_count").fetchone()[0] - before
    other.close()
    start = store.execute("PRAGMA page_count").fetchone()[0]
    store.execute(f"PRAGMA max_page_count = {start + needed * 11_000 // 12_001}")  # room for 11,000 rows
    calls = []
    with pytest.raises(DiskFull):
        commit_import(DatasetRepository(store), plan, progress=lambda done, total: calls.append(done))
    assert calls == [5000, 10000]  # the first two chunks went in; the third did not fit
    nothing_left(store)


def test_a_file_changed_during_the_import_leaves_nothing(store, tmp_path, streamed):
    path, plan = big_plan(tmp_path)

    def progress(done, total):
        if done == 10000:  # while the last chunk is being read
            with open(path, "a", encoding="utf-8") as fh:
                fh.write("A row added later,1\n")

    with pytest.raises(DatasetFileError) as info:
        commit_import(DatasetRepository(store), plan, progress=progress)
    assert info.value.message == msg.FILE_CHANGED_SINCE_CHECK.format(path=path)
    nothing_left(store)


def test_a_file_changed_after_the_check_is_not_imported(store, tmp_path, streamed):
    path, plan = big_plan(tmp_path, rows=300)
    path.write_text(path.read_text(encoding="utf-8").replace("Question number 7,", "Question number 8,"),
                    encoding="utf-8")
    with pytest.raises(DatasetFileError, match="changed"):
        commit_import(DatasetRepository(store), plan)
    nothing_left(store)
    path.unlink()
    with pytest.raises(DatasetFileError, match="changed"):
        list(plan.rows)


def test_a_streamed_plan_keeps_a_few_bytes_a_row(tmp_path, monkeypatch):
    monkeypatch.setattr(tables, "KEEP_ROWS", 1000)
    path = tmp_path / "many.csv"
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["ticket", "urgency"])
        w.writerows([f"Ticket {i}: the printer on floor {i % 9} shows error {i % 97}", ("low", "high")[i % 2]]
                    for i in range(100_000))
    tracemalloc.start()
    try:
        plan = plan_import(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert plan.report.ok and len(plan.rows) == 100_000 and plan.suggestion.scorer == "label"
    assert peak < 16_000_000, peak  # the rows held as Python objects: about 60 MB


def test_rows_blocked_and_left_out_of_a_streamed_import(store, tmp_path, streamed):
    path = tmp_path / "t.csv"
    path.write_text("q,a\none,1\ntwo,\n,3\nfour,4\n", encoding="utf-8")
    plan = plan_import(path)
    with pytest.raises(ImportBlocked):
        commit_import(DatasetRepository(store), plan)
    result = commit_import(DatasetRepository(store), plan, skip_invalid=True, split="1/0/1")
    assert result.skipped_lines == [3, 4] and result.dataset.counts == {"train": 1, "dev": 0, "test": 1}
    assert [e.input for e in DatasetRepository(store).examples(result.dataset.id)] == ["one", "four"]


def test_without_lines_drops_rows_without_holding_them(store, tmp_path, streamed):
    path = tmp_path / "t.csv"
    path.write_text("q,a\n" + "".join(f"q{i % 40},{i % 2}\n" for i in range(60)), encoding="utf-8")
    plan = plan_import(path)
    repeats = [line for i in plan.report.issues if i.kind in ("duplicate", "conflicting") for line in i.lines]
    lean = plan.without_lines(repeats)
    assert isinstance(lean.rows, LazyRows) and len(lean.rows) == 40 == len(lean.facts())
    assert [r.input for r in lean.rows] == [f"q{i}" for i in range(40)]
    assert lean.given_splits == 0 and shared_questions(lean) == 0
    d = commit_import(DatasetRepository(store), lean).dataset
    assert d.size == 40


def test_lazy_rows_behave_like_a_list(tmp_path):
    items = list(range(50))
    rows = LazyRows(50, items[:20], lambda: iter(items))
    assert len(rows) == 50 and rows[0] == 0 and rows[-1] == 49 and rows[33] == 33
    assert rows[:5] == [0, 1, 2, 3, 4] and rows[18:23] == [18, 19, 20, 21, 22] and rows[::10] == [0, 10, 20, 30, 40]
    assert rows == items and rows != items[:-1] and list(rows) == items
    with pytest.raises(IndexError):
        rows[50]
    short = LazyRows(51, items[:20], lambda: iter(items))
    with pytest.raises(DatasetFileError):
        list(short)


@given(st.text(alphabet=st.sampled_from("aB zZ09.,!?;:-_'\"()[]{}@#%&*/\\$+<=>^`|~\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f\x85"
                                         "éÉﬁＡ１。、「」—–…\u00a0\u2003\u200b"), max_size=40))
def test_the_fast_normalisation_is_exactly_normalize_text(text):
    assert normalized(text) == normalize_text(text)


@pytest.mark.parametrize("kind", ["big_cell", "mixed_encoding", "utf16", "old_mac", "jsonl", "xlsx"])
def test_every_kind_of_file_reads_the_same_streamed(tmp_path, monkeypatch, kind):
    path = make_file(tmp_path, kind)
    whole = tables.read_table(path)
    whole_plan = plan_import(path)
    monkeypatch.setattr(tables, "KEEP_ROWS", 0)
    table = tables.read_table(path)
    assert table.streamed and table.rows == whole.rows and list(table.rows) == whole.rows
    assert (table.headers, table.line_numbers, table.encoding, table.mixed_encoding_lines) == \
        (whole.headers, whole.line_numbers, whole.encoding, whole.mixed_encoding_lines)
    plan = plan_import(path)
    assert plan.report == whole_plan.report and list(plan.rows) == whole_plan.rows


def make_file(tmp_path, kind):
    if kind == "big_cell":
        path = tmp_path / "long.csv"
        path.write_text(f'question,answer\n"{"word " * 60_000}",yes\nshort,no\n', encoding="utf-8")
    elif kind == "mixed_encoding":
        path = tmp_path / "mixed.csv"
        path.write_bytes("question,answer\ncafé au lait,drink\n".encode() + "crème brûlée,dessert\n".encode("latin-1")
                         + "naïve,word\n".encode())
    elif kind == "utf16":
        path = tmp_path / "unicode.txt"
        path.write_bytes("\ufeffquestion\tanswer\r\nÜbung eins\tja\r\nzwei\tnein\r\n".encode("utf-16-le"))
    elif kind == "old_mac":
        path = tmp_path / "mac.csv"
        path.write_bytes(b"question,answer\r1+1,2\r2+2,4\r" + b"".join(b"%d+1,%d\r" % (i, i + 1) for i in range(300)))
    elif kind == "jsonl":
        path = tmp_path / "d.jsonl"
        path.write_text('{"input": "a", "target": [1]}\n\n{"input": "b", "target": 2, "extra": {"x": 1}}\n')
    else:
        import openpyxl

        book = openpyxl.Workbook()
        book.active.append(["question", "answer", "notes"])
        for i in range(30):
            book.active.append([f"{i} + {i}", 2 * i, None])
        path = tmp_path / "plain.xlsx"
        book.save(path)
    return path


def test_excel_formulas_without_values_are_named_when_streamed(tmp_path, streamed):
    import openpyxl

    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["question", "answer"])
    for i in range(20):
        ws.append([f"{i} + {i}", 2 * i])
    ws.append(["3 + 3", "=3+3"])
    path = tmp_path / "formulas.xlsx"
    book.save(path)
    with pytest.raises(DatasetFileError, match="B22"):
        plan_import(path)


@pytest.mark.parametrize("keep_rows", [50_000, 0])
def test_excel_formulas_with_saved_values_read_their_values(tmp_path, monkeypatch, keep_rows):
    import zipfile

    import openpyxl

    monkeypatch.setattr(tables, "KEEP_ROWS", keep_rows)
    book = openpyxl.Workbook()
    book.active.append(["question", "answer", "notes"])
    for i in range(30):
        book.active.append([f"{i} + {i}", f"={i}+{i}", None])  # an empty notes cell: formulas are looked at
    written = tmp_path / "written.xlsx"
    book.save(written)
    path = tmp_path / "saved_by_excel.xlsx"  # as Excel saves it: each formula with its last result
    with zipfile.ZipFile(written) as src, zipfile.ZipFile(path, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = data.decode()
                for i in range(30):
                    text = text.replace(f"<f>{i}+{i}</f><v />", f"<f>{i}+{i}</f><v>{2 * i}</v>")
                data = text.encode()
            dst.writestr(item, data)
    table = tables.read_table(path)
    assert table.streamed is (keep_rows == 0)
    assert list(table.rows) == [[f"{i} + {i}", str(2 * i), ""] for i in range(30)]
    with pytest.raises(DatasetFileError, match="B2, B3"):
        plan_import(written)  # the same formulas without their results are named
