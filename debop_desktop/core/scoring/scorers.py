"""Scorers a non-programmer picks by name. Each reads its kind of answer and compares.

`score_output(output, expected, scorer)` never raises on model output: anything it cannot
read scores 0 and is marked unparsed, with the reason kept for the person to see.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from typing import Any, ClassVar

from debop_desktop.core.scoring.extract import extract_answer


@dataclass(frozen=True)
class ScoreResult:
    correct: bool
    extracted: str | None  # the answer as read from the output (None: nothing found)
    unparsed: bool
    reason: str  # why it was judged wrong; "" when right
    method: str  # how the answer was found (see extract.py)


def normalize_text(text: str) -> str:
    """Case, punctuation and spacing removed: 'The  Answer!' -> 'the answer'."""
    text = unicodedata.normalize("NFKC", str(text)).casefold()
    text = "".join(" " if unicodedata.category(c).startswith("P") else c for c in text)
    return " ".join(text.split())


class Scorer:
    name: ClassVar[str] = ""
    label: ClassVar[str] = ""
    description: ClassVar[str] = ""

    def __init__(self, **options: Any) -> None:
        self.options = options

    def parse(self, text: str) -> Any | None:
        """Read this kind of answer from the extracted text; None if not there."""
        norm = normalize_text(text)
        return norm or None

    def fallback(self, output: str) -> Any | None:
        """A last try on the whole output when the extracted text had no answer."""
        return None

    def parse_extracted(self, text: str, method: str) -> Any | None:
        """Read the answer from extracted text; `method` says how it was found."""
        return self.parse(text)

    def expected(self, answer: str) -> Any:
        parsed = self.parse(answer)
        return parsed if parsed is not None else normalize_text(answer)

    def equal(self, got: Any, want: Any) -> bool:
        return got == want

    def show(self, value: Any) -> str:
        return str(value)

    def spell(self, value: Any, written: str) -> str:
        """How a person sees an answer read as `value` from the text `written`: compared in
        normalized form, shown as spelled (a task's own label, or the words as written)."""
        return self.show(value)

    def for_input(self, question: str) -> Scorer:
        """A scorer specialised to one question (e.g. its own answer options)."""
        return self


class ExactScorer(Scorer):
    name, label = "exact", "Exact match"
    description = "The answer must match the expected text, ignoring capitals, spaces and punctuation."

    def spell(self, value: Any, written: str) -> str:
        return written.strip() or self.show(value)


_LETTER = re.compile(r"^\(?([A-Za-z])\)?[.):]?$")
_PAREN_LETTER = re.compile(r"\(([A-Z])\)")
_OPTION_LINE = re.compile(r"^\(([A-Z])\)\s*(.+?)\s*$", re.M)
_OPTION_WORD = re.compile(r"\b(?:option|choice|answer)\s*(?:is\s*)?:?\s*\(?([A-Z])\b\)?", re.I)


class ChoiceScorer(Scorer):
    name, label = "choice", "Multiple-choice letter"
    description = "The answer is a letter like (B); “B”, “B)” or the option's own text also count."

    def _choices(self) -> list[str]:
        return [str(c) for c in self.options.get("choices") or []]

    def _valid(self, letter: str) -> bool:
        """A letter the question offers (any letter when its options are unknown): "(X)", a
        placeholder copied from a prompt, is no answer to a question with options A to C."""
        n = len(self._choices())
        return not n or ord(letter) - ord("A") < n

    def parse(self, text: str) -> str | None:
        t = text.strip()
        m = _LETTER.match(t)
        if m and self._valid(m.group(1).upper()):
            return m.group(1).upper()
        found = [letter for letter in _PAREN_LETTER.findall(t) if self._valid(letter)]
        if found:
            return found[-1]
        words = [w.upper() for w in _OPTION_WORD.findall(t) if self._valid(w.upper())]
        if words:
            return words[0]
        return self._by_option_text(t)

    def _by_option_text(self, text: str) -> str | None:
        norm = normalize_text(text)
        if not norm:
            return None
        hits = []
        for i, choice in enumerate(self._choices()):
            body = normalize_text(re.sub(r"^\(?[A-Za-z]\)\s*", "", choice))
            if body and (norm == body or re.search(rf"\b{re.escape(body)}\b", norm)):
                hits.append(chr(ord("A") + i))
        return hits[0] if len(hits) == 1 else None

    def fallback(self, output: str) -> str | None:
        found = [letter for letter in _PAREN_LETTER.findall(output) if self._valid(letter)]
        return found[-1] if found else None

    def show(self, value: Any) -> str:
        return f"({value})"

    def for_input(self, question: str) -> Scorer:
        options = _OPTION_LINE.findall(question or "")
        if self._choices() or not options:
            return self
        ordered = sorted(options, key=lambda o: o[0])
        return ChoiceScorer(**{**self.options, "choices": [text for _, text in ordered]})


class _WordScorer(Scorer):
    words: ClassVar[tuple[str, str]] = ("", "")

    def parse(self, text: str) -> str | None:
        m = re.search(rf"\b({'|'.join(self.words)})\b", normalize_text(text))
        return m.group(1) if m else None

    def fallback(self, output: str) -> str | None:
        found = re.findall(rf"\b({'|'.join(self.words)})\b", normalize_text(output))
        return found[-1] if found else None


class YesNoScorer(_WordScorer):
    name, label, words = "yes_no", "Yes / No", ("yes", "no")
    description = "The answer is yes or no."


class TrueFalseScorer(_WordScorer):
    name, label, words = "true_false", "True / False", ("true", "false")
    description = "The answer is true or false."


_NUMBER = re.compile(r"[-−]?\d{1,3}(?:,\d{3})+(?:\.\d+)?|[-−]?\d+(?:\.\d+)?|[-−]?\.\d+")


def parse_number(text: str, *, last: bool = False) -> float | None:
    """'1,234' -> 1234; '-3' -> -3; '12 apples' -> 12; '3 + 4 = 7' -> 7 (after the last '=')."""
    if "=" in text and not last:
        text = text.rsplit("=", 1)[1]
    found = _NUMBER.findall(text)
    if not found:
        return None
    raw = (found[-1] if last else found[0]).replace(",", "").replace("−", "-")
    try:
        value = float(raw)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


_COMPARISON = re.compile(
    rf"({_NUMBER.pattern})\s+is\s+(?:much\s+|a\s+bit\s+|slightly\s+)?"
    r"(?:larger|greater|bigger|smaller|less|more|higher|lower|fewer)\s+than\s+[-−]?[\d.]", re.I)


def asserted_number(text: str) -> float | None:
    """The number a comparison asserts: the subject of the last "X is larger than Y"
    ("17 is larger than 26." -> 17, not 26); None when the text makes no comparison."""
    found = _COMPARISON.findall(text)
    return parse_number(found[-1]) if found else None


class NumberScorer(Scorer):
    name, label = "number", "Number"
    description = "The answer is a number; “1,234”, “12.0” and “12 apples” are read as numbers."

    def parse(self, text: str) -> float | None:
        return parse_number(text)

    def parse_extracted(self, text: str, method: str) -> float | None:
        # A sentence that compares two numbers asserts its subject. Otherwise a labelled
        # answer ("Answer: 7 apples from 3 baskets") leads with its number, and an unlabelled
        # last line of reasoning ("… 4 more makes 7") ends with it.
        asserted = asserted_number(text)
        if asserted is not None:
            return asserted
        return parse_number(text, last=method == "last_line" and "=" not in text)

    def fallback(self, output: str) -> float | None:
        asserted = asserted_number(output)
        return asserted if asserted is not None else parse_number(output, last=True)

    def equal(self, got: Any, want: Any) -> bool:
        tol = float(self.options.get("tolerance", 1e-6))
        return isinstance(got, float) and isinstance(want, float) and abs(got - want) <= tol

    def show(self, value: Any) -> str:
        return f"{value:g}" if isinstance(value, float) else str(value)


class LabelScorer(Scorer):
    name, label = "label", "One label from a set"
    description = ("The answer is one of a fixed set of labels (like low / medium / high); "
                   "listed synonyms count.")

    def _forms(self) -> dict[str, str]:
        forms: dict[str, str] = {}
        for lab in self.options.get("labels") or []:
            forms[normalize_text(lab)] = normalize_text(lab)
        for lab, syns in (self.options.get("synonyms") or {}).items():
            for syn in syns:
                forms[normalize_text(syn)] = normalize_text(lab)
        return {k: v for k, v in forms.items() if k}

    def _spellings(self) -> dict[str, str]:
        """Each label's normalized form -> the label as the task writes it ('n a' -> 'N/A')."""
        spelled = [*(self.options.get("synonyms") or {}), *(self.options.get("labels") or [])]
        return {normalize_text(lab): str(lab).strip() for lab in spelled if normalize_text(lab)}

    def spell(self, value: Any, written: str) -> str:
        return self._spellings().get(str(value)) or written.strip() or self.show(value)

    def parse(self, text: str) -> str | None:
        norm, forms = normalize_text(text), self._forms()
        if not forms:
            return norm or None
        if norm in forms:
            return forms[norm]
        hits = {v for k, v in forms.items() if re.search(rf"\b{re.escape(k)}\b", norm)}
        return hits.pop() if len(hits) == 1 else None

    def expected(self, answer: str) -> Any:
        return self._forms().get(normalize_text(answer), normalize_text(answer))


class ContainsScorer(Scorer):
    name, label = "contains", "Contains"
    description = "Correct when the expected text appears anywhere in the model's answer."

    def equal(self, got: Any, want: Any) -> bool:
        return bool(want) and isinstance(got, str) and f" {want} " in f" {got} "

    def spell(self, value: Any, written: str) -> str:
        return written.strip() or self.show(value)

    def expected(self, answer: str) -> Any:
        return normalize_text(answer)


class RegexScorer(Scorer):
    name, label = "regex", "Pattern (regular expression)"
    description = "Advanced: a pattern finds the answer in the output (its first group if it has one)."

    def parse(self, text: str) -> str | None:
        pattern = self.options.get("pattern")
        if not pattern:
            return super().parse(text)
        m = re.search(pattern, text, re.I | re.S)
        if not m:
            return None
        return normalize_text(m.group(1) if m.groups() else m.group(0)) or None

    def spell(self, value: Any, written: str) -> str:
        pattern = self.options.get("pattern")
        m = re.search(pattern, written, re.I | re.S) if pattern else None
        found = (m.group(1) if m.groups() else m.group(0)) if m else written
        return (found or "").strip() or self.show(value)

    def expected(self, answer: str) -> Any:
        return normalize_text(answer)


class WordListScorer(Scorer):
    name, label = "word_list", "List of words"
    description = "The answer is a list of words, in order (or in any order, if you choose)."

    def parse(self, text: str) -> tuple[str, ...] | None:
        words = tuple(w for w in re.split(r"[\s,;]+", normalize_text(text)) if w)
        return words or None

    def equal(self, got: Any, want: Any) -> bool:
        if self.options.get("ordered", True):
            return got == want
        return sorted(got or ()) == sorted(want or ())

    def show(self, value: Any) -> str:
        return " ".join(value) if isinstance(value, tuple) else str(value)


SCORERS: dict[str, type[Scorer]] = {
    cls.name: cls for cls in (ExactScorer, ChoiceScorer, YesNoScorer, TrueFalseScorer, NumberScorer,
                              LabelScorer, ContainsScorer, RegexScorer, WordListScorer)
}


def get_scorer(name: str, **options: Any) -> Scorer:
    try:
        return SCORERS[name](**options)
    except KeyError:
        raise ValueError(f"unknown scorer {name!r}; choose one of {', '.join(SCORERS)}") from None


def score_output(output: str, expected: str, scorer: Scorer, question: str = "") -> ScoreResult:
    """Judge one output (for `question`, whose own answer options may count). Never raises
    on model output."""
    try:
        return _score(output if isinstance(output, str) else str(output), expected,
                      scorer.for_input(question))
    except Exception as exc:  # a bad pattern or an odd value must not stop a run
        return ScoreResult(False, None, True, f"could not read the answer ({exc})", "none")


def _score(output: str, expected: str, scorer: Scorer) -> ScoreResult:
    want = scorer.expected(expected)
    written = output
    if isinstance(scorer, ContainsScorer):
        got: Any = normalize_text(output)
        method = "whole_output"
    else:
        extraction = extract_answer(output)
        method = extraction.method
        got = scorer.parse_extracted(extraction.text, method) if extraction.text is not None else None
        written = extraction.text or ""
        if got is None:
            got = scorer.fallback(output)
            method, written = ("fallback", output) if got is not None else (method, written)
    if got is None:
        return ScoreResult(False, None, True, "no answer found in the output", method)
    if scorer.equal(got, want):  # right: the answer as the task writes it
        return ScoreResult(True, scorer.spell(want, expected), False, "", method)
    shown = scorer.spell(got, written)
    return ScoreResult(False, shown, False, f"expected {scorer.spell(want, expected)}, got {shown}", method)
