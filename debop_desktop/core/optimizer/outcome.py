"""The outcome of a run, typed: what every reader of a run's result reads.

`RunOutcome` holds each behavior's scores (on the dev sample, on the confirmation questions,
on the final exam), which behavior ships and why, the verdict, the search's best node and the
model calls. The run writes it through one function (`run._checkpoint`) at every checkpoint
and at the end; the Results page, `runs show`, exports, the Playground, the comparison and
the mistakes table read it (`RunRepository.outcome`, `report.run_view`), never the raw
summary.

It is stored as the run's summary JSON, with the keys runs have always had (`baselines`,
`shipped`, `verdict`, `best`, `behavior`, …), so a database written by older code reads back
(`from_summary` tolerates missing and odd fields and never raises) and a run resumed by
this code writes what older code reads. Keys this code does not know are kept as they are.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from debop_desktop.core.optimizer.verdict import stored_name

KNOWN_KEYS = ("status", "tokens_per_second", "behavior", "shipped", "verdict", "best", "baselines",
              "dev_scores", "confirm_scores", "model_calls_this_session", "calls_saved")
SPLITS = ("dev", "confirm", "test")  # the dev sample, the confirmation questions, the final exam


def _num(value: Any, default: float = 0.0) -> float:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else default


def _opt_num(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


@dataclass(frozen=True)
class Score:
    """One behavior's score on one set of questions: right of `n`, with its 95 % (Wilson)
    interval. `accuracy` is kept as stored (older runs may lack the counts)."""

    method: str  # a behavior's stored name, or a candidate's (`plan:<k>` on dev and confirmation)
    correct: int
    n: int
    accuracy: float
    low: float
    high: float

    @classmethod
    def of(cls, method: str, correct: int, n: int, low: float, high: float) -> Score:
        return cls(method, correct, n, correct / n if n else 0.0, low, high)

    @classmethod
    def from_json(cls, data: Any) -> Score | None:
        if not isinstance(data, Mapping) or not isinstance(data.get("method"), str):
            return None
        accuracy = _num(data.get("accuracy"))
        return cls(data["method"], int(_num(data.get("correct"))), int(_num(data.get("n"))), accuracy,
                   _num(data.get("low"), accuracy), _num(data.get("high"), accuracy))

    def to_json(self, split: str) -> dict[str, Any]:
        return {"method": self.method, "correct": self.correct, "n": self.n, "accuracy": self.accuracy,
                "low": self.low, "high": self.high, "split": split}


@dataclass(frozen=True)
class BehaviorScores:
    """One behavior's (or candidate's) scores, None where it was not scored."""

    method: str
    dev: Score | None = None
    confirm: Score | None = None
    test: Score | None = None


@dataclass(frozen=True)
class Shipped:
    """Which behavior the app keeps, and why."""

    method: str  # the behavior's stored name (after the final exam: the verdict's)
    chosen_on_dev: str = ""  # the behavior chosen before the final exam
    candidate: str = ""  # the winning candidate's public name ("plan:2", "tuned", "direct", …)
    reason: str = ""  # why, in plain words ("" for older runs)

    @classmethod
    def from_json(cls, data: Any) -> Shipped | None:
        if not isinstance(data, Mapping) or not data.get("method"):
            return None
        return cls(str(data["method"]), str(data.get("chosen_on_dev") or ""), str(data.get("candidate") or ""),
                   str(data.get("reason") or ""))

    def to_json(self) -> dict[str, Any]:
        return {"method": self.method, "chosen_on_dev": self.chosen_on_dev, "candidate": self.candidate,
                "reason": self.reason}


@dataclass(frozen=True)
class Verdict:
    """The engine's judgement of a finished run (`verdict.compute_verdict`), as plain data.
    `raw` is the dict as computed and stored (JSON outputs print it)."""

    label: str  # "better", "no_clear_change" or "worse"
    shipped: str  # the method whose behavior the app keeps, by its public name
    sentence: str
    warnings: tuple[str, ...]
    p_value: float | None
    majority_rate: float | None
    majority_answer: str | None
    test: tuple[tuple[str, int, int], ...]  # method, right, total
    raw: Mapping[str, Any] = field(default_factory=dict, hash=False, compare=False)

    @classmethod
    def from_json(cls, v: Any) -> Verdict | None:
        """None for runs recorded before verdicts existed; tolerates missing fields."""
        if not isinstance(v, Mapping) or not v.get("label"):
            return None
        scores = v.get("test") if isinstance(v.get("test"), Mapping) else {}
        test = tuple((str(m), int(_num(s.get("right"))), int(_num(s.get("total"))))
                     for m, s in scores.items() if isinstance(s, Mapping))
        warnings = v.get("warnings") if isinstance(v.get("warnings"), list | tuple) else ()
        answer = v.get("majority_answer")
        return cls(str(v["label"]), str(v.get("shipped") or "tuned"), str(v.get("sentence") or ""),
                   tuple(str(w) for w in warnings), _opt_num(v.get("p_value")), _opt_num(v.get("majority_rate")),
                   None if answer is None else str(answer), test, dict(v))


@dataclass(frozen=True)
class BestNode:
    """The search's best try on the dev sample."""

    node_id: int
    dev_accuracy: float | None
    reward: float | None

    @classmethod
    def from_json(cls, data: Any) -> BestNode | None:
        if not isinstance(data, Mapping) or not isinstance(data.get("node_id"), int):
            return None
        return cls(data["node_id"], _opt_num(data.get("dev_accuracy")), _opt_num(data.get("reward")))


@dataclass(frozen=True)
class RunOutcome:
    """What a run came to so far (any status). Frozen: the run makes a new one with
    `dataclasses.replace` and writes it; readers never write through it."""

    status: str = ""
    kit: Mapping[str, Any] | None = None  # the run's kit (`PromptKit.to_json`): what rebuilds its behaviors
    tokens_per_second: float | None = None  # fixed for the run, so a resume scores time the same way
    scores: tuple[BehaviorScores, ...] = ()  # in the order they were scored (final exam first)
    shipped: Shipped | None = None
    verdict: Verdict | None = None
    best: BestNode | None = None
    model_calls: int = 0  # this session's
    calls_saved: int = 0
    extra: Mapping[str, Any] = field(default_factory=dict, hash=False, compare=False)  # keys not known here

    # -- reading ------------------------------------------------------------------------
    @classmethod
    def from_stored(cls, text: str | None) -> RunOutcome:
        """The outcome from a run row's `summary_json` (unreadable text: an empty outcome)."""
        try:
            return cls.from_summary(json.loads(text or "{}"))
        except ValueError:
            return cls()

    @classmethod
    def from_summary(cls, summary: Any) -> RunOutcome:
        """The outcome stored as a run's summary, by this code or older; never raises."""
        if not isinstance(summary, Mapping):
            return cls()
        by_split = {split: [s for s in map(Score.from_json, _list(summary.get(key))) if s is not None]
                    for split, key in (("test", "baselines"), ("dev", "dev_scores"), ("confirm", "confirm_scores"))}
        kit = summary.get("behavior")
        return cls(str(summary.get("status") or ""), kit if isinstance(kit, Mapping) else None,
                   _opt_num(summary.get("tokens_per_second")), _merge(by_split),
                   Shipped.from_json(summary.get("shipped")), Verdict.from_json(summary.get("verdict")),
                   BestNode.from_json(summary.get("best")), int(_num(summary.get("model_calls_this_session"))),
                   int(_num(summary.get("calls_saved"))),
                   {k: v for k, v in summary.items() if k not in KNOWN_KEYS})

    @property
    def shipped_method(self) -> str:
        """The stored name of the behavior the app keeps, by the one rule every reader uses:
        what the run recorded as shipping; for a run recorded before it did, the verdict's;
        before any verdict, the search's best try when there is one, else plain prompting."""
        if self.shipped is not None:
            return stored_name(self.shipped.method)
        if self.verdict is not None:
            return stored_name(self.verdict.shipped)
        return "tuned" if self.best is not None else "direct"

    @property
    def shipped_reason(self) -> str:
        return self.shipped.reason if self.shipped is not None else ""

    def on(self, split: str) -> list[Score]:
        """Every score on `split` ("dev", "confirm" or "test"), in the order scored."""
        return [s for b in self.scores if (s := getattr(b, split)) is not None]

    @property
    def test_scores(self) -> list[Score]:
        """The final exam's scores (the summary's `baselines`)."""
        return self.on("test")

    def test_accuracy(self, method: str) -> float | None:
        return next((s.accuracy for s in self.test_scores if s.method == method), None)

    @property
    def details(self) -> str:
        """What went wrong, for a failed or interrupted run ("" otherwise)."""
        return str(self.extra.get("traceback") or self.extra.get("crash_details") or "")

    # -- writing ------------------------------------------------------------------------
    def to_summary(self) -> dict[str, Any]:
        """The summary JSON, with the keys runs have always had (and those not known here)."""
        out: dict[str, Any] = dict(self.extra)
        if self.tokens_per_second is not None:
            out["tokens_per_second"] = self.tokens_per_second
        if self.kit is not None:
            out["behavior"] = dict(self.kit)
        if self.shipped is not None:
            out["shipped"] = self.shipped.to_json()
        if self.status:
            out.update({"status": self.status, "model_calls_this_session": self.model_calls,
                        "calls_saved": self.calls_saved,
                        "best": {"node_id": self.best.node_id, "dev_accuracy": self.best.dev_accuracy,
                                 "reward": self.best.reward} if self.best else None,
                        "baselines": [s.to_json("test") for s in self.test_scores]})
        for split in ("dev", "confirm"):
            if self.on(split):
                out[f"{split}_scores"] = [s.to_json(split) for s in self.on(split)]
        if self.verdict is not None:
            out["verdict"] = dict(self.verdict.raw)
        return out

    def with_scores(self, split: str, scores: Sequence[Score]) -> RunOutcome:
        """This outcome with `split`'s scores replaced by `scores`."""
        by_split = {s: self.on(s) for s in SPLITS} | {split: list(scores)}
        return replace(self, scores=_merge(by_split))


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _merge(by_split: Mapping[str, Sequence[Score]]) -> tuple[BehaviorScores, ...]:
    """One `BehaviorScores` per method: the final exam's order first, then the others'."""
    methods = list(dict.fromkeys(s.method for split in ("test", "dev", "confirm") for s in by_split.get(split, ())))
    found = {split: {s.method: s for s in by_split.get(split, ())} for split in SPLITS}
    return tuple(BehaviorScores(m, found["dev"].get(m), found["confirm"].get(m), found["test"].get(m))
                 for m in methods)
