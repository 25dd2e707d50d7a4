"""Argument types checked at the command line's edge, so a bad number is a usage error
(exit 2, with the argument named) and never reaches the core."""

from __future__ import annotations

import argparse

from debop_desktop.core import messages


def positive_int(text: str) -> int:
    """A whole number of 1 or more (sizes, limits, threads, context lengths)."""
    return _int_at_least(text, 1, messages.ARG_POSITIVE_INT)


def non_negative_int(text: str) -> int:
    """A whole number of 0 or more (counts where none is meaningful)."""
    return _int_at_least(text, 0, messages.ARG_NON_NEGATIVE_INT)


def parallel_count(text: str) -> int:
    """Questions at once (`--parallel`): 1 … `PARALLEL_MAX`, the range the Settings page offers."""
    from debop_desktop.core.settings import PARALLEL_MAX

    sentence = messages.ARG_PARALLEL.replace("{limit}", str(PARALLEL_MAX))
    value = _int_at_least(text, 1, sentence)
    if value > PARALLEL_MAX:
        raise argparse.ArgumentTypeError(sentence.format(value=text))
    return value


def _int_at_least(text: str, low: int, sentence: str) -> int:
    try:
        value = int(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(sentence.format(value=text)) from None
    if value < low:
        raise argparse.ArgumentTypeError(sentence.format(value=text))
    return value
