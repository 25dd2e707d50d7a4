"""The calibrated candidate: the allowed answer the model finds likeliest, corrected for the
bias the prompt itself gives it (contextual calibration, Zhao et al., 2021).

For a task whose answers come from a small set (labels, yes/no, true/false, choice
letters), the model is not asked to write an answer: the backend scores each allowed answer
as the start of the reply (`answer_logprobs`). Each answer's probability (its written
forms, such as "yes" and "Yes", added up) is renormalised over the allowed answers, divided
by the probability the same prompt gives it for a content-free question ("N/A"), and
renormalised again; the largest wins. This targets a small model's collapse onto one answer
("no" to every question): a prompt that leans towards "no" leans the same way on "N/A", and
the division takes that lean out.

Backends that cannot score answers (model servers) raise NotImplementedError; the run then
leaves this candidate out and says so once.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from debop_desktop.core.llm.base import CancelToken, ChatBackend, ChatMessage, logprobs_one_by_one
from debop_desktop.core.scoring.answer_space import AnswerSpace

CONTENT_FREE = "N/A"  # the content-free question of Zhao et al.
FLOOR = 1e-12  # no content-free probability is taken as smaller than this
CHOICE_LETTERS = tuple("ABCDEFGHIJKLMNOPQRSTUVWXYZ")


@dataclass(frozen=True)
class Pick:
    """One calibrated choice: the answer, and the probabilities before and after calibration."""

    answer: str
    answers: tuple[str, ...]
    raw: tuple[float, ...]
    calibrated: tuple[float, ...]

    def explain(self) -> str:
        """Short, for the evaluation's `reason` (what a person reads behind the answer)."""
        after = ", ".join(f"{a} {p:.2f}" for a, p in zip(self.answers, self.calibrated, strict=True))
        before = ", ".join(f"{a} {p:.2f}" for a, p in zip(self.answers, self.raw, strict=True))
        return f"picked by probability, calibrated: {after} (before calibration: {before})"


def answer_forms(answer: str) -> tuple[str, ...]:
    """The ways a reply may start with `answer`: as written, lower case, capitalised, and for
    a choice letter also "(A)". Their probabilities are added up."""
    forms = [answer, answer.lower(), answer[:1].upper() + answer[1:]]
    if len(answer) == 1 and answer.isalpha():
        forms.append(f"({answer.upper()})")
    return tuple(dict.fromkeys(f for f in forms if f))


def answer_probabilities(backend: ChatBackend, messages: Sequence[ChatMessage], answers: Sequence[str],
                         cancel: CancelToken | None = None) -> tuple[float, ...]:
    """The model's probability of each of `answers` as its reply to `messages`, renormalised
    over `answers`. Raises NotImplementedError when the backend cannot score answers."""
    score = getattr(backend, "answer_logprobs", None)
    if score is None:
        raise NotImplementedError(f"{type(backend).__name__} cannot score answers")
    forms = [answer_forms(a) for a in answers]
    flat = [f for group in forms for f in group]
    return _per_answer(forms, list(score(messages, flat, cancel)))


def answer_probabilities_many(backend: ChatBackend, items: Sequence[tuple[Sequence[ChatMessage], Sequence[str]]],
                              cancel: CancelToken | None = None) -> list[tuple[float, ...] | None]:
    """`answer_probabilities` of each (messages, answers), equal to it, in one backend call
    where the backend scores several questions together (`answer_logprobs_many`); None where
    a prompt does not fit the context. Raises NotImplementedError as `answer_probabilities`."""
    if getattr(backend, "answer_logprobs", None) is None:
        raise NotImplementedError(f"{type(backend).__name__} cannot score answers")
    forms = [[answer_forms(a) for a in answers] for _, answers in items]
    flat = [(messages, [f for group in groups for f in group]) for (messages, _), groups in zip(items, forms,
                                                                                                    strict=True)]
    many = getattr(backend, "answer_logprobs_many", None)
    scored = many(flat, cancel) if many is not None and len(flat) > 1 else logprobs_one_by_one(backend, flat, cancel)
    return [None if logprobs is None else _per_answer(groups, logprobs)
            for groups, logprobs in zip(forms, scored, strict=True)]


def _per_answer(forms: Sequence[tuple[str, ...]], logprobs: Sequence[float]) -> tuple[float, ...]:
    per_answer, i = [], 0
    for group in forms:
        per_answer.append(_logsumexp(logprobs[i:i + len(group)]))
        i += len(group)
    return _softmax(per_answer)


def calibrate(raw: Sequence[float], content_free: Sequence[float]) -> tuple[float, ...]:
    """Divide each probability by its content-free probability and renormalise."""
    scaled = [p / max(q, FLOOR) for p, q in zip(raw, content_free, strict=True)]
    total = sum(scaled)
    return tuple(s / total for s in scaled) if total > 0 else tuple(1 / len(scaled) for _ in scaled)


def calibration_answers(space: AnswerSpace, questions: Sequence[str]) -> tuple[str, ...]:
    """The answers the content-free probabilities are measured over: the allowed answers, or
    for multiple choice with options written in each question, the letters up to the most
    options any of `questions` has. () when the task has no small answer set."""
    if space.allowed():
        return space.allowed()
    if space.kind != "choice":
        return ()
    most = max((len(space.allowed_for(q)) for q in questions), default=0)
    letters = {letter for q in questions for letter in space.allowed_for(q)}
    return tuple(letter for letter in CHOICE_LETTERS[:most] if letter in letters) if most >= 2 else ()


def pick(backend: ChatBackend, messages: Sequence[ChatMessage], space: AnswerSpace, question: str,
         calibration: dict[str, float], cancel: CancelToken | None = None) -> Pick | None:
    """The calibrated answer to `messages` (the question `question`); None when the question
    allows fewer than two answers. `calibration` maps each answer to its content-free
    probability (answers it lacks count as the mean)."""
    answers = space.allowed_for(question)
    if len(answers) < 2:
        return None
    return _calibrated_pick(answers, answer_probabilities(backend, messages, answers, cancel), calibration)


class TooLong:
    """`pick_many`'s result for a question whose prompt does not fit the context."""


TOO_LONG = TooLong()


def pick_many(backend: ChatBackend, items: Sequence[tuple[Sequence[ChatMessage], str]], space: AnswerSpace,
              calibration: dict[str, float], cancel: CancelToken | None = None) -> list[Pick | None | TooLong]:
    """`pick` of each (messages, question), equal to it, with the questions' answers scored
    together where the backend can (`answer_probabilities_many`): a Pick, None (fewer than
    two answers allowed) or TOO_LONG (the prompt does not fit the context)."""
    answers = [space.allowed_for(question) for _, question in items]
    asked = [k for k, a in enumerate(answers) if len(a) >= 2]
    raw = answer_probabilities_many(backend, [(items[k][0], answers[k]) for k in asked], cancel) if asked else []
    out: list[Pick | None | TooLong] = [None] * len(items)
    for k, probabilities in zip(asked, raw, strict=True):
        out[k] = TOO_LONG if probabilities is None else _calibrated_pick(answers[k], probabilities, calibration)
    return out


def _calibrated_pick(answers: Sequence[str], raw: tuple[float, ...], calibration: dict[str, float]) -> Pick:
    mean = sum(calibration.values()) / len(calibration) if calibration else 1.0
    free = _renormalised([calibration.get(a, mean) for a in answers])
    after = calibrate(raw, free)
    best = max(range(len(answers)), key=lambda k: (after[k], -k))
    return Pick(answers[best], tuple(answers), raw, after)


def _logsumexp(values: Sequence[float]) -> float:
    top = max(values)
    if top == -math.inf:
        return top
    return top + math.log(sum(math.exp(v - top) for v in values))


def _softmax(values: Sequence[float]) -> tuple[float, ...]:
    top = max(values)
    if top == -math.inf:
        return tuple(1 / len(values) for _ in values)
    exps = [math.exp(v - top) for v in values]
    total = sum(exps)
    return tuple(e / total for e in exps)


def _renormalised(values: Sequence[float]) -> list[float]:
    total = sum(values)
    return [v / total for v in values] if total > 0 else [1 / len(values) for _ in values]
