"""Numbers and lists for people: sizes, parameter counts, long lists of names cut short."""

from __future__ import annotations

from collections.abc import Sequence


def human_bytes(n: int | float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if abs(n) < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} GB"


def human_params(n: int | None) -> str:
    """134515008 -> '134.5M'; 7241732096 -> '7.2B'."""
    if not n:
        return "?"
    for div, unit in ((1e9, "B"), (1e6, "M"), (1e3, "K")):
        if n >= div:
            return f"{n / div:.1f}".removesuffix(".0") + unit
    return str(n)


def name_list(names: Sequence[str], limit: int = 20, width: int = 40) -> str:
    """Names joined with commas, at most `limit` of them (each cut to `width` characters),
    then '… and 9,980 more': a file with 10,000 columns stays one readable line."""
    from debop_desktop.core import messages

    shown = [n if len(n) <= width else n[: width - 1] + "…" for n in names[:limit]]
    text = ", ".join(shown)
    if len(names) > limit:
        text += " " + messages.MORE_NAMES.format(count=len(names) - limit)
    return text
