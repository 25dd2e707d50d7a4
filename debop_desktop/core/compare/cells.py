"""One comparison row in words, the same in the CLI's table and the app's (one renderer)."""

from __future__ import annotations

from typing import Any

from debop_desktop.core import behaviors
from debop_desktop.core import messages as msg
from debop_desktop.core.compare.table import ComparisonRow, ComparisonView
from debop_desktop.core.optimizer.verdict import stored_name
from debop_desktop.core.units import human_bytes

COLUMNS = msg.COMPARE_COLUMNS
STAR = "★ "


def row_cells(row: ComparisonRow, recommended: bool = False) -> tuple[str, ...]:
    """The cells of `row` under `COLUMNS`. A model without a finished run says where it stands
    (skipped with its reason, waiting, stopped) in the final-exam column."""
    name = (STAR if recommended else "") + row.name
    size = human_bytes(row.size_bytes) if row.size_bytes else "—"
    memory = human_bytes(row.memory_bytes) if row.memory_bytes else "—"
    o = row.outcome
    if o is None or not o.finished:
        state = row.skipped if row.state == "skipped" else msg.COMPARE_STATE_WORDS.get(row.state, row.state)
        return (name, state or "", "", "", "", memory, size, "")
    kept = msg.BASELINE_CHOICES.get(stored_name(o.shipped), o.shipped)
    speed = f"{o.answers_per_second:.1f}" if o.answers_per_second else "—"
    if not asks_model(stored_name(o.shipped)):  # its speed would be plain prompting's, not its own
        speed = msg.COMPARE_NO_MODEL_CALL
    return (name, f"{o.accuracy * 100:.0f} % ({o.right}/{o.total})", f"{o.low * 100:.0f}–{o.high * 100:.0f} %",
            kept, speed, memory, size, msg.COMPARE_VERDICT_WORDS.get(o.label, o.label))


def asks_model(method: str) -> bool:
    """False for a rule that answers without asking the model (the most common answer): it has
    no time per answer to show."""
    kind = behaviors.kind(method)
    return kind is None or kind.counts_calls


def view_cells(view: ComparisonView) -> list[tuple[str, ...]]:
    return [row_cells(r, r.position == view.recommendation.position) for r in view.rows]


def view_json(view: ComparisonView) -> dict[str, Any]:
    """The comparison for scripts (`debop --json compare`): numbers, not words."""
    c = view.comparison
    rows = []
    for r in view.rows:
        o = r.outcome
        rows.append({
            "model_id": r.model_id, "model": r.name, "file_bytes": r.size_bytes, "memory_bytes": r.memory_bytes,
            "state": r.state, "skipped": r.skipped, "run_id": o.run_id if o else None,
            "accuracy": o.accuracy if o and o.finished else None, "right": o.right if o else None,
            "total": o.total if o else None, "low": o.low if o and o.finished else None,
            "high": o.high if o and o.finished else None, "shipped": o.shipped if o else None,
            "direct_accuracy": o.direct_accuracy if o else None,
            "answers_per_second": o.answers_per_second if o else None, "verdict": o.label if o else None,
            "recommended": r.position == view.recommendation.position})
    return {"comparison": c.id, "task": view.dataset, "preset": c.preset, "first_look": c.first_look,
            "seed": c.config.seed, "target": c.target, "prefer": c.prefer, "status": c.status, "models": rows,
            "recommendation": view.recommendation.sentence, "warnings": list(view.recommendation.warnings)}
