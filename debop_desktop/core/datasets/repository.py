"""Datasets and their examples in the store: create (all or nothing, in short steps), edit, export."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from debop_desktop.core import messages as msg
from debop_desktop.core.datasets.import_steps import batches, drop_import, drop_unfinished_imports
from debop_desktop.core.datasets.splits import SPLITS
from debop_desktop.core.errors import DebopError
from debop_desktop.core.optimizer.run_repository import RunRepository
from debop_desktop.core.output_files import open_for_writing
from debop_desktop.core.store import Store

Progress = Callable[[int, int], None]


class DatasetNotFound(DebopError):
    pass


class TaskHasRuns(DebopError):
    """Runs use the task: deleting it needs the person's confirmation (`with_runs=True`)."""

    def __init__(self, message: str, run_count: int) -> None:
        super().__init__(message)
        self.run_count = run_count


class TaskInUse(DebopError):
    """A run that is going on (running or paused) uses the task; it cannot be deleted now."""


ACTIVE_RUN_STATUSES = ("running", "paused")


@dataclass(frozen=True)
class WorkedExample:
    """A hand-written demonstration: question, step-by-step reasoning, final answer."""

    question: str
    reasoning: str
    answer: str


@dataclass(frozen=True)
class Dataset:
    id: int
    name: str
    description: str
    instruction: str
    answer_type: str
    scorer: str
    scorer_options: dict[str, Any]
    choices: list[str]
    worked_examples: list[WorkedExample]
    source: str
    content_sha256: str | None
    split_seed: int | None
    created_at: float
    counts: dict[str, int] = field(default_factory=dict)
    deleted_at: float | None = None  # deleted, kept only for the runs that used it

    @property
    def size(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class Example:
    id: int
    dataset_id: int
    position: int
    input: str
    answer: str
    notes: str
    split: str


@dataclass(frozen=True, slots=True)
class NewExample:
    input: str
    answer: str
    split: str
    notes: str = ""


def content_hash(examples: Iterable[NewExample | Example]) -> str:
    """Identifies a dataset's examples and splits (for provenance cards)."""
    h = hashlib.sha256()
    _hash_into(h, examples)
    return h.hexdigest()


def _hash_into(h: Any, examples: Iterable[NewExample | Example]) -> None:
    for e in examples:
        h.update(json.dumps([e.input, e.answer, e.split], ensure_ascii=False).encode("utf-8"))


class DatasetRepository:
    def __init__(self, store: Store) -> None:
        self.store = store

    def create(self, *, name: str, examples: Iterable[NewExample], instruction: str = "",
               description: str = "", answer_type: str = "free_text", scorer: str = "exact",
               scorer_options: dict[str, Any] | None = None, choices: Sequence[str] = (),
               worked_examples: Sequence[WorkedExample] = (), source: str = "",
               split_seed: int | None = None, progress: Progress | None = None,
               total: int | None = None) -> Dataset:
        """Write a dataset and all its examples: all or nothing, as anyone reading sees it.
        `examples` may be a generator (then give `total`, for progress): they are written in
        batches as they come, so a million of them are never all in memory.

        Each batch is its own short transaction while the task is hidden (`importing_since`:
        no list, no `get` finds it), and one last short one shows it, so a big import never
        keeps a run or another command waiting for the database. If `examples` raises part-way,
        the rows written so far are removed before the error goes on; if the process is killed,
        they stay hidden and the next import removes them."""
        now = time.time()
        if total is None:
            total = len(examples)  # type: ignore[arg-type]
        drop_unfinished_imports(self.store)
        with self.store.transaction() as conn:
            cur = conn.execute(
                "INSERT INTO datasets (name, description, instruction, answer_type, scorer, "
                "scorer_options_json, choices_json, worked_examples_json, source, content_sha256, "
                "split_seed, created_at, updated_at, importing_since) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?)",
                (name, description, instruction, answer_type, scorer, json.dumps(scorer_options or {}),
                 json.dumps(list(choices)), json.dumps([asdict(w) for w in worked_examples]), source,
                 split_seed, now, now, now))
            dataset_id: int = cur.lastrowid  # type: ignore[assignment]
        try:
            digest, done = hashlib.sha256(), 0
            for chunk in batches(examples):
                with self.store.transaction() as conn:
                    conn.executemany(
                        "INSERT INTO examples (dataset_id, position, input, answer, notes, split) "
                        "VALUES (?, ?, ?, ?, ?, ?)",
                        [(dataset_id, done + k, e.input, e.answer, e.notes, e.split) for k, e in enumerate(chunk)])
                    conn.execute("UPDATE datasets SET updated_at = ? WHERE id = ?", (time.time(), dataset_id))
                _hash_into(digest, chunk)
                done += len(chunk)
                if progress:
                    progress(done, total)
            with self.store.transaction() as conn:  # the one step that shows the task
                conn.execute("UPDATE datasets SET content_sha256 = ?, importing_since = NULL, updated_at = ? "
                             "WHERE id = ?", (digest.hexdigest(), time.time(), dataset_id))
        except BaseException:
            drop_import(self.store, dataset_id)
            raise
        return self.get(dataset_id)

    def list(self) -> list[Dataset]:
        """The person's tasks (not the remnants of deleted ones)."""
        ids = [r[0] for r in self.store.execute(
            "SELECT id FROM datasets WHERE deleted_at IS NULL AND importing_since IS NULL "
            "ORDER BY name COLLATE NOCASE, id")]
        return [self.get(i) for i in ids]

    def get(self, ref: int | str) -> Dataset:
        """A task by number or name. By number this also finds a deleted task's remnant (runs
        read their task this way); check `deleted_at`, or use `get_live`, before editing it.
        A task still being imported is not found."""
        if isinstance(ref, int) or str(ref).isdigit():
            rows = list(self.store.db.query(
                "SELECT * FROM datasets WHERE id = ? AND importing_since IS NULL", [int(ref)]))
        else:
            rows = list(self.store.db.query(
                "SELECT * FROM datasets WHERE name = ? COLLATE NOCASE AND deleted_at IS NULL "
                "AND importing_since IS NULL", [str(ref)]))
        if len(rows) != 1:
            raise DatasetNotFound(f"No task matches '{ref}'. See the list with 'debop datasets list'."
                                  if not rows else f"More than one task is called '{ref}'; use its number.")
        r = rows[0]
        counts = {s: 0 for s in SPLITS}
        if r["deleted_counts_json"]:  # a deleted task: its sizes when it was deleted
            counts.update(json.loads(r["deleted_counts_json"]))
        else:
            for split, n in self.store.execute(
                    "SELECT split, COUNT(*) FROM examples WHERE dataset_id = ? GROUP BY split", (r["id"],)):
                counts[split] = n
        return Dataset(
            id=r["id"], name=r["name"], description=r["description"], instruction=r["instruction"],
            answer_type=r["answer_type"], scorer=r["scorer"],
            scorer_options=json.loads(r["scorer_options_json"]), choices=json.loads(r["choices_json"]),
            worked_examples=[WorkedExample(**w) for w in json.loads(r["worked_examples_json"])],
            source=r["source"], content_sha256=r["content_sha256"], split_seed=r["split_seed"],
            created_at=r["created_at"], counts=counts, deleted_at=r["deleted_at"])

    def get_live(self, ref: int | str) -> Dataset:
        """Like `get`, but a deleted task is reported as such (for commands that show or change it)."""
        dataset = self.get(ref)
        if dataset.deleted_at is not None:
            raise DatasetNotFound(msg.TASK_DELETED.format(name=dataset.name))
        return dataset

    def examples(self, dataset_id: int, split: str | None = None, limit: int | None = None,
                 offset: int = 0) -> list[Example]:
        sql = "SELECT * FROM examples WHERE dataset_id = ?"
        params: list[Any] = [dataset_id]
        if split:
            sql += " AND split = ?"
            params.append(split)
        sql += " ORDER BY position"
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            params += [limit, offset]
        return [_example_from_row(r) for r in self.store.db.query(sql, params)]

    def optimizer_examples(self, dataset_id: int, split: str) -> list[Example]:
        """Examples the optimizer may see: train and dev only. The test split is held out
        to judge the result, so asking for it here is a programming error."""
        if split not in ("train", "dev"):
            raise ValueError(f"the optimizer may read train and dev examples, not {split!r}")
        self.get_live(dataset_id)  # a deleted task keeps its runs' results, but cannot be optimized
        return self.examples(dataset_id, split)

    def current_hash(self, dataset_id: int) -> str:
        """The content hash, recomputed (and stored) if an edit cleared it."""
        stored = self.get(dataset_id).content_sha256
        if stored:
            return stored
        digest = content_hash(self.examples(dataset_id))
        self.store.execute("UPDATE datasets SET content_sha256 = ? WHERE id = ?", (digest, dataset_id))
        return digest

    def add_example(self, dataset_id: int, example: NewExample) -> Example:
        self.get_live(dataset_id)
        with self.store.transaction() as conn:
            pos = conn.execute("SELECT COALESCE(MAX(position), -1) + 1 FROM examples WHERE dataset_id = ?",
                               (dataset_id,)).fetchone()[0]
            cur = conn.execute("INSERT INTO examples (dataset_id, position, input, answer, notes, split) "
                               "VALUES (?, ?, ?, ?, ?, ?)",
                               (dataset_id, pos, example.input, example.answer, example.notes, example.split))
            self._touch(conn, dataset_id)
        return self._example(cur.lastrowid)  # type: ignore[arg-type]

    def update(self, dataset_id: int, *, name: str | None = None, instruction: str | None = None,
               scorer: str | None = None, scorer_options: dict[str, Any] | None = None) -> Dataset:
        """Rename a task, or change its instruction or how its answers are judged. Runs already
        made keep what they used (their provenance records it)."""
        from debop_desktop.core.scoring.scorers import SCORERS

        if scorer is not None and scorer not in SCORERS:
            raise DebopError(f"Unknown scoring rule '{scorer}'. Choose one of: {', '.join(SCORERS)}.")
        if name is not None and not name.strip():
            raise DebopError("A task needs a name.")
        changes: dict[str, Any] = {"name": name.strip() if name is not None else None, "instruction": instruction,
                                   "scorer": scorer}
        if scorer_options is not None or scorer is not None:
            changes["scorer_options_json"] = json.dumps(scorer_options or {})
        changes = {k: v for k, v in changes.items() if v is not None}
        self.get_live(dataset_id)  # a plain message if it does not exist
        if changes:
            sets = ", ".join(f"{k} = ?" for k in changes)
            with self.store.transaction() as conn:
                conn.execute(f"UPDATE datasets SET {sets}, updated_at = ? WHERE id = ?",
                             (*changes.values(), time.time(), dataset_id))
        return self.get(dataset_id)

    def update_example(self, example_id: int, **changes: str) -> Example:
        allowed = {"input", "answer", "notes", "split"}
        if not changes or set(changes) - allowed:
            raise ValueError(f"can change only {sorted(allowed)}")
        before = self._example(example_id)
        sets = ", ".join(f"{k} = ?" for k in changes)
        with self.store.transaction() as conn:
            conn.execute(f"UPDATE examples SET {sets} WHERE id = ?", (*changes.values(), example_id))
            self._touch(conn, before.dataset_id)
        return self._example(example_id)

    def delete_example(self, example_id: int) -> None:
        before = self._example(example_id)
        with self.store.transaction() as conn:
            conn.execute("DELETE FROM examples WHERE id = ?", (example_id,))
            self._touch(conn, before.dataset_id)

    def runs_using(self, dataset_id: int) -> dict[str, int]:
        """How many runs used the task, by status."""
        return RunRepository(self.store).statuses_on_task(dataset_id)

    def delete(self, dataset_id: int, *, with_runs: bool = False) -> Dataset:
        """Delete a task. If no run used it, it goes entirely. If runs used it, the person must
        confirm (`with_runs=True`, else `TaskHasRuns`); then the task disappears from every list
        but its row and the examples those runs evaluated stay, so each finished run can still
        be shown and exported (it cannot be resumed). A task used by a run that is going on
        cannot be deleted (`TaskInUse`). One transaction: all of it or nothing."""
        dataset = self.get_live(dataset_id)
        with self.store.transaction() as conn:
            by_status = RunRepository(self.store).statuses_on_task(dataset_id, conn)
            active = sum(by_status.get(s, 0) for s in ACTIVE_RUN_STATUSES)
            if active:
                raise TaskInUse(msg.TASK_IN_USE.format(name=dataset.name, count=active))
            runs = sum(by_status.values())
            if runs and not with_runs:
                raise TaskHasRuns(msg.TASK_HAS_RUNS.format(name=dataset.name, count=runs), runs)
            if not runs:
                conn.execute("DELETE FROM datasets WHERE id = ?", (dataset_id,))
                return dataset
            kept = RunRepository(self.store).answered_on_task(dataset_id, conn)  # the runs' answers keep them
            conn.executemany("DELETE FROM examples WHERE id = ?", [
                (r[0],) for r in conn.execute("SELECT id FROM examples WHERE dataset_id = ?", (dataset_id,)).fetchall()
                if r[0] not in kept])
            conn.execute("UPDATE datasets SET deleted_at = ?, deleted_counts_json = ? WHERE id = ?",
                         (time.time(), json.dumps(dataset.counts), dataset_id))
        return dataset

    def export(self, dataset_id: int, path: str | os.PathLike[str], *, overwrite: bool = True) -> Path:
        """Write examples to .csv (UTF-8 with BOM, opens cleanly in Excel) or .jsonl. The file
        appears whole or not at all; a failure is an `OutputFileError` with a plain message."""
        p = Path(path).expanduser()
        rows = self.examples(dataset_id)
        if p.suffix.lower() == ".jsonl":
            with open_for_writing(p, overwrite=overwrite) as fh:
                for e in rows:
                    fh.write(json.dumps({"input": e.input, "answer": e.answer, "split": e.split,
                                         "notes": e.notes}, ensure_ascii=False) + "\n")
        else:
            with open_for_writing(p, overwrite=overwrite, encoding="utf-8-sig", newline="") as fh:
                w = csv.writer(fh)
                w.writerow(["input", "answer", "split", "notes"])
                w.writerows([e.input, e.answer, e.split, e.notes] for e in rows)
        return p

    def _example(self, example_id: int) -> Example:
        rows = list(self.store.db.query("SELECT * FROM examples WHERE id = ?", [example_id]))
        if not rows:
            raise DatasetNotFound(f"There is no example number {example_id}.")
        return _example_from_row(rows[0])

    def _touch(self, conn: Any, dataset_id: int) -> None:
        conn.execute("UPDATE datasets SET updated_at = ?, content_sha256 = NULL WHERE id = ?",
                     (time.time(), dataset_id))


def _example_from_row(r: dict[str, Any]) -> Example:
    return Example(r["id"], r["dataset_id"], r["position"], r["input"], r["answer"], r["notes"], r["split"])
