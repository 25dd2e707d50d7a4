"""Numbers for people: sizes and parameter counts."""

from __future__ import annotations


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
