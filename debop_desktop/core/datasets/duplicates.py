"""Questions that appear more than once in a stored task: find them, say so plainly, and
remove the extra copies.

"The same question" means what the import wizard means by it (`repeated_groups`: equal once
case, punctuation and spacing are set aside), so the Tasks page and the wizard agree. A copy
in the final exam (test split) that also sits in the examples used while tuning makes the
final exam look easier than it is; that is what the plain sentence puts first.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from dataclasses import dataclass

from debop_desktop.core import messages as msg
from debop_desktop.core.datasets.repository import (
    ACTIVE_RUN_STATUSES,
    DatasetRepository,
    Example,
    TaskInUse,
)
from debop_desktop.core.datasets.validation import repeated_groups
from debop_desktop.core.errors import DebopError
from debop_desktop.core.optimizer.run_repository import RunRepository
from debop_desktop.core.scoring.scorers import normalize_text

KEEP_ORDER = {"train": 0, "dev": 1, "test": 2}  # which copy stays: learn-from first, final exam last
_CHUNK = 500


class DuplicatesUsedByRuns(DebopError):
    """Runs answered rows that would go; removing them would change recorded results."""


@dataclass(frozen=True)
class RepeatedQuestion:
    """Every copy of one question, in the task's order, and the copy that stays on removal."""

    copies: tuple[Example, ...]

    @property
    def keep(self) -> Example:
        return min(self.copies, key=lambda e: (KEEP_ORDER.get(e.split, 3), e.position))

    @property
    def extra(self) -> tuple[Example, ...]:
        keep = self.keep
        return tuple(e for e in self.copies if e.id != keep.id)

    @property
    def splits(self) -> frozenset[str]:
        return frozenset(e.split for e in self.copies)

    @property
    def in_exam_and_tuning(self) -> bool:
        return "test" in self.splits and bool(self.splits & {"train", "dev"})

    @property
    def conflicting(self) -> bool:
        return len({normalize_text(e.answer) for e in self.copies}) > 1


@dataclass(frozen=True)
class DuplicateReport:
    dataset_id: int
    groups: tuple[RepeatedQuestion, ...]

    @property
    def questions(self) -> int:
        return len(self.groups)

    @property
    def extra_rows(self) -> int:
        return sum(len(g.copies) - 1 for g in self.groups)

    @property
    def in_exam_and_tuning(self) -> int:
        return sum(g.in_exam_and_tuning for g in self.groups)

    @property
    def learn_and_check(self) -> int:
        """Questions in both tuning groups (train and dev) but not in the final exam."""
        return sum(g.splits >= {"train", "dev"} and "test" not in g.splits for g in self.groups)

    @property
    def conflicting(self) -> int:
        return sum(g.conflicting for g in self.groups)

    def rows(self) -> list[Example]:
        """Every copy of every repeated question, copies next to each other (for showing them)."""
        return [e for g in self.groups for e in g.copies]

    def removable_ids(self) -> list[int]:
        return sorted(e.id for g in self.groups for e in g.extra)

    @property
    def sentence(self) -> str:
        """One plain line: how many questions repeat and why it matters."""
        if not self.groups:
            return msg.DUPLICATES_NONE
        most = max(len(g.copies) for g in self.groups)
        times = msg.DUPLICATES_TIMES.get(most, msg.DUPLICATES_TIMES_MANY)
        n = self.questions
        text = (msg.DUPLICATES_FOUND_ONE if n == 1 else msg.DUPLICATES_FOUND).format(n=n, times=times)
        for k, sentence, who in ((self.in_exam_and_tuning, msg.DUPLICATES_IN_EXAM, msg.DUPLICATES_WHO_IS),
                                 (self.learn_and_check, msg.DUPLICATES_LEARN_AND_CHECK, msg.DUPLICATES_WHO_IS),
                                 (self.conflicting, msg.DUPLICATES_CONFLICTING, msg.DUPLICATES_WHO_HAS)):
            if k:
                form = "it" if n == 1 else "all" if k == n else "one" if k == 1 else "some"
                text += sentence.format(who=who[form].format(k=k))
        return text


# Finding repeats normalises every question (about a second for 100,000 of them), and the
# Tasks page asks each time a task is chosen: keep the last few answers, keyed on the task's
# last change (every edit of an example stamps `updated_at`).
_CACHE: OrderedDict[tuple, tuple[tuple[int, ...], ...]] = OrderedDict()
_CACHE_SIZE = 8


def find_duplicates(repo: DatasetRepository, dataset_id: int) -> DuplicateReport:
    """The task's repeated questions. Reads only; never changes the task."""
    store = repo.store
    stamp = store.execute("SELECT updated_at, (SELECT COUNT(*) FROM examples WHERE dataset_id = ?) FROM datasets "
                          "WHERE id = ?", (dataset_id, dataset_id)).fetchone()
    if stamp is None:
        repo.get(dataset_id)  # the plain "no such task" message
    key = (str(store.path), dataset_id, *stamp)
    id_groups = _CACHE.get(key)
    if id_groups is None:
        rows = store.execute("SELECT id, input FROM examples WHERE dataset_id = ? ORDER BY position, id",
                             (dataset_id,)).fetchall()
        id_groups = tuple(tuple(rows[i][0] for i in g) for g in repeated_groups([r[1] for r in rows]))
        _CACHE[key] = id_groups
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    _CACHE.move_to_end(key)
    wanted = [i for g in id_groups for i in g]
    by_id = {e.id: e for e in _examples_by_id(repo, wanted)}
    groups = tuple(RepeatedQuestion(tuple(by_id[i] for i in g)) for g in id_groups if all(i in by_id for i in g))
    return DuplicateReport(dataset_id, groups)


def remove_duplicates(repo: DatasetRepository, dataset_id: int) -> DuplicateReport:
    """Delete every extra copy of each repeated question, keeping one (the train copy where
    there is one, else dev, else the first). One transaction: all of it or nothing; no other
    row changes. Refused (`TaskInUse`) while a run uses the task, and refused
    (`DuplicatesUsedByRuns`) if a recorded run answered a row that would go, since deleting it
    would delete those answers too. Returns what was removed (the report found before)."""
    dataset = repo.get_live(dataset_id)
    report = find_duplicates(repo, dataset_id)
    doomed = report.removable_ids()
    if not doomed:
        return report
    with repo.store.transaction() as conn:
        runs_of = RunRepository(repo.store)
        by_status = runs_of.statuses_on_task(dataset_id, conn)
        active = sum(by_status.get(s, 0) for s in ACTIVE_RUN_STATUSES)
        if active:
            raise TaskInUse(msg.TASK_IN_USE.format(name=dataset.name, count=active))
        runs = runs_of.runs_answering(doomed, conn)
        if runs:
            raise DuplicatesUsedByRuns(msg.DUPLICATES_USED_BY_RUNS.format(count=len(runs), name=dataset.name))
        conn.executemany("DELETE FROM examples WHERE id = ? AND dataset_id = ?", [(i, dataset_id) for i in doomed])
        conn.execute("UPDATE datasets SET updated_at = ?, content_sha256 = NULL WHERE id = ?",
                     (time.time(), dataset_id))
    return report


def _examples_by_id(repo: DatasetRepository, ids: list[int]) -> list[Example]:
    found: list[Example] = []
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        marks = ",".join("?" * len(chunk))
        found += [Example(r["id"], r["dataset_id"], r["position"], r["input"], r["answer"], r["notes"], r["split"])
                  for r in repo.store.db.query(f"SELECT * FROM examples WHERE id IN ({marks})", chunk)]
    return found

