"""What every way of answering a question has in common.

A behavior answers a batch of questions exactly as it is scored and as it ships: the same
messages, token limit, grammar and follow-up turn, or the same rule (a pick by probability,
one answer for every question). The run scores it through a gateway that counts calls,
pauses for a server and restarts a crashed worker (`RunGateway`); `debop ask`, the
Playground and anything later answer through a plain gateway over a backend
(`BackendGateway`), running the very same code, so what is answered is what was scored.
"""

from __future__ import annotations

from collections.abc import Generator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

from debop_desktop.core.llm.base import ChatMessage, Completion, GenerationParams

if TYPE_CHECKING:
    from debop_desktop.core.datasets.repository import Example
    from debop_desktop.core.optimizer.candidates import PromptKit

DEFAULT_TOKENS = 64  # a short answer: direct prompting, a few examples
Answers = Generator[Any, None, "list[Reply]"]  # yields a run's events (pauses, warnings); returns the replies


@dataclass(frozen=True)
class AnswerSettings:
    """What a run's settings say about answering (the rest is in the kit)."""

    max_tokens: int = 160  # the run's limit for a filled plan (the tuned demonstration)
    structured_output: bool = False  # the tuned demonstration answers under its plan's grammar

    @classmethod
    def from_config(cls, config: Any) -> AnswerSettings:
        return cls(int(config.max_tokens), bool(config.structured_output))

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> AnswerSettings:
        default = cls()
        return cls(int(data.get("max_tokens", default.max_tokens)),
                   bool(data.get("structured_output", default.structured_output)))


@dataclass(frozen=True)
class TaskFacts:
    """What a task offers a behavior before any model call: enough to say whether it applies
    and what it costs (`Behavior.applies`, `Behavior.estimated_calls`)."""

    worked_examples: bool = False  # the person gave worked examples
    closed_answers: bool = True  # a small set of allowed answers (yes/no, a label…)
    search: bool = True  # the run writes plans and searches (off: a first look)


@dataclass(frozen=True)
class Reply:
    """One question's answer as the run records it: the completion (None when the prompt
    does not fit the context), and for a rule the sentence that explains the answer."""

    completion: Completion | None
    reason: str = ""  # empty: the scorer's own reason
    confidence: float | None = None  # a pick by probability: the chosen answer's probability


class Gateway(Protocol):
    """How a behavior reaches the model. Each method is a generator (a run yields its events
    while it waits); a plain gateway yields nothing."""

    def chat_many(self, prompts: Sequence[Sequence[ChatMessage]], params: GenerationParams, *,
                  follow_up: bool = False) -> Generator[Any, None, list[Completion | None]]: ...

    def pick(self, work: Any, *, calls: int = 1) -> Generator[Any, None, Any]:
        """Run `work(backend, cancel)` (a request that is not a chat, e.g. scoring answers),
        counted as `calls` model calls (a request scoring several questions together)."""
        ...


class Preparation(Protocol):
    """What a run offers a behavior preparing itself (`Behavior.prepare`)."""

    train: Sequence[str]  # the train split's questions
    examples: Sequence[Example]  # the train split's examples, with their answers (`input`, `answer`)
    dev: Sequence[Example]  # the dev sample the run scores its tries on (never the confirmation questions or test)
    seed: int  # the run's seed
    config: Any  # the run's settings (OptimizerConfig): the few examples' `few_examples_k`…

    def right(self, example: Example, output: str) -> bool:
        """Whether `output` answers `example` right, by the run's scorer."""
        ...

    def shown(self, example: Example) -> str:
        """`example`'s expected answer as the run's scorer shows it (a label as the task spells it)."""
        ...

    def gateway(self, kind: str) -> Gateway:
        """The run's way to the model, its calls counted as `kind` (eta.py)."""
        ...

    def warn_once(self, key: str, message: str) -> Any:
        """A run's Warning event for `message` the first time `key` is seen, else None."""
        ...


class Behavior:
    """A way of answering. Subclasses set `name` (stored in runs: never rename one), `rank`
    (ties on dev go to the lower: 0 a prompt, which a file can carry; 1 a pick by probability;
    2 one answer for every question), and implement `answer_many`.

    A behavior is rebuilt from the run's kit and settings (`build`), so a resumed run, `ask`,
    the Playground and exports all get the identical behavior. What it chooses once per run
    (`prepare`) it keeps in the kit as JSON of its own, `with_state`, and reads back with
    `state_in` (or `self.state`); the kit stores it under its `state_key` in the run's record."""

    name: ClassVar[str] = ""
    rank: ClassVar[int] = 0
    label: ClassVar[str] = ""  # plain name; empty: messages.METHOD_LABELS
    counts_calls: ClassVar[bool] = True  # False: answers without asking the model (costs no call)
    simple: ClassVar[bool] = True  # a simple candidate scored on dev against the search
    follow_up_tokens: ClassVar[int] = 0  # the most a follow-up turn adds to an answer
    comparable: ClassVar[bool] = True  # a person may ask for it on the final exam (Advanced settings)
    # What it needs of a task (`applies`) and what it costs (`estimated_calls`):
    needs_worked_examples: ClassVar[bool] = False
    needs_closed_answers: ClassVar[bool] = False
    needs_search: ClassVar[bool] = False  # made by the search (a plan, the tuned demonstration)
    calls_per_question: ClassVar[int] = 1  # model calls per question (a follow-up turn counts with its answer)
    call_kind: ClassVar[str] = ""  # the kind of call eta.py prices its calls as; empty: its own name
    state_key: ClassVar[str] = ""  # the name its per-run state is kept under in the kit; empty: its own name

    @classmethod
    def applies(cls, facts: TaskFacts) -> bool:
        """Whether a run on a task with these facts can make this behavior at all (`build`
        may still find the kit lacks it, e.g. too few train questions)."""
        return ((facts.worked_examples or not cls.needs_worked_examples)
                and (facts.closed_answers or not cls.needs_closed_answers)
                and (facts.search or not cls.needs_search))

    @classmethod
    def kind_of_call(cls) -> str:
        """The kind of call its answers are priced and timed as (eta.py)."""
        return cls.call_kind or cls.name

    @classmethod
    def estimated_calls(cls, facts: TaskFacts, questions: int) -> dict[str, int]:
        """The most model calls scoring it on `questions` questions costs, by kind of call
        (eta.py); empty when it does not apply or asks no model."""
        if not cls.applies(facts) or not cls.counts_calls or cls.calls_per_question <= 0:
            return {}
        return {cls.kind_of_call(): cls.calls_per_question * questions}

    @classmethod
    def preparation_calls(cls, facts: TaskFacts, dev: int) -> dict[str, int]:
        """The most model calls its preparation makes (`prepare`) with a dev sample of `dev`
        questions, by kind of call; the estimate adds them to the simple stage. Default: none."""
        return {}

    @classmethod
    def token_limit(cls, settings: AnswerSettings) -> int:
        """The most tokens one answer may take, the same on dev, on test and when it ships."""
        return DEFAULT_TOKENS

    def __init__(self, kit: PromptKit, settings: AnswerSettings) -> None:
        self.kit, self.settings = kit, settings

    @classmethod
    def prepare(cls, kit: PromptKit, run: Preparation) -> Generator[Any, None, PromptKit]:
        """The kit with what this behavior measures or chooses once per run before it answers
        (it may ask the model through `run.gateway`, e.g. the calibrated pick's content-free
        probabilities, or `with_state(kit, …)` for a state of its own); a run prepares only the
        behaviors it compares, before any answer. A resumed run's kit already holds it: return
        the kit unchanged (`state_in(kit) is not None`). Default: nothing."""
        return kit
        yield  # a generator like every preparation, though it waits for nothing

    @classmethod
    def with_state(cls, kit: PromptKit, state: Any) -> PromptKit:
        """The kit with this behavior's per-run state (JSON: dicts with text keys, lists, text,
        numbers, booleans, None), e.g. from `prepare`. The run records it with the kit, so a
        resumed run, `ask`, the Playground, exports, an answered file and the server read the
        same back; a tuple reads back as a list, in the run as everywhere else."""
        return kit.with_state(cls.state_key or cls.name, state)

    @classmethod
    def state_in(cls, kit: PromptKit) -> Any:
        """This behavior's per-run state in `kit` (`with_state`); None when it has none (not
        prepared: `build` returns None then, or what it does without)."""
        return kit.state(cls.state_key or cls.name)

    @property
    def state(self) -> Any:
        """This behavior's per-run state in its kit (`state_in`), read once when first asked."""
        if not hasattr(self, "_state"):
            self._state = self.state_in(self.kit)
        return self._state

    @classmethod
    def build(cls, kit: PromptKit, settings: AnswerSettings) -> Behavior | None:
        """This behavior for a run's kit; None when it does not apply (no worked examples, no
        small answer set, no tuned demonstration, not prepared…)."""
        return cls(kit, settings)

    def answer_many(self, gateway: Gateway, questions: Sequence[str]) -> Answers:
        raise NotImplementedError

    def messages(self, question: str) -> list[ChatMessage]:
        """The messages a file export carries for `question` (a rule carries the plain prompt)."""
        from debop_desktop.core.optimizer.prompts import direct_messages

        return direct_messages(self.kit.instruction, question, self.kit.space.format_line())

    def generation_params(self) -> GenerationParams:
        """The settings the messages are answered with (greedy)."""
        return GenerationParams(max_tokens=self.token_limit(self.settings), temperature=0.0)

    @property
    def is_rule(self) -> bool:
        """A rule no file can carry (not a prompt)."""
        return self.rank > 0

    def rule_note(self) -> str:
        """For exports: why the file cannot do what the app does (empty for a prompt)."""
        return ""
