"""A simulated behavior environment: a fake model that reads DeBoP's own prompts.

It writes plans from a small universe of steps, applies the six operators to
demonstrations, and answers a question correctly when the question's fixed difficulty (a
deterministic hash) falls below a hidden quality of the demonstration's steps. Output length grows with the number of
steps, so more steps cost time. Because correctness depends only on the step set, the best
achievable reward over the dev split can be computed exactly by trying every subset.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math

from debop_desktop.core.llm.fake import ScriptedBackend

UNIVERSE = ["Read the numbers", "Line up the digits", "Add the ones", "Carry if needed", "Add the tens",
            "Check the sum", "Restate the question", "Guess"]
WEIGHTS = dict(zip(UNIVERSE, [0.22, 0.12, 0.18, 0.10, 0.08, 0.06, -0.05, -0.30], strict=True))


def quality(steps) -> float:
    s = set(steps) & set(UNIVERSE)
    return max(0.0, min(1.0, 0.25 + sum(WEIGHTS[k] for k in s) + (0.05 if len(s) <= 4 else 0.0)))


def uniform(*parts) -> float:
    digest = hashlib.sha256("\x00".join(map(str, parts)).encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def output_words(n_steps: int) -> int:
    return 6 + 4 * n_steps  # what the fake answer costs, in "tokens"


class SimulatedModel:
    def __init__(self, answers: dict[str, str]) -> None:
        self.answers = answers  # question -> true answer
        self.calls = 0

    def __call__(self, messages, params) -> str:
        self.calls += 1
        last = messages[-1].content
        if messages[0].role == "system" and "breaking problems" in messages[0].content:
            return self._plan(params.seed)
        if last.startswith("Here is a worked example"):
            return self._operator(last)
        if last.rstrip().endswith("}"):  # an execution: the question, then the plan template
            question = last.split("\nFill in this plan")[0] if "\nFill in this plan" in last \
                else last.rsplit("\n{", 1)[0]
            return self._execute(question, messages)
        return "I am not sure."

    def _plan(self, seed: int) -> str:
        k = 2 + int(uniform("plan-size", seed) * 3)
        steps = sorted(UNIVERSE, key=lambda s: uniform("plan", seed, s))[:k]
        return "Guidelines: be careful.\n" + json.dumps({**{s: "" for s in steps}, "Answer": ""})

    def _operator(self, prompt: str) -> str:
        demo = json.loads(prompt[prompt.index("{"): prompt.rindex("}") + 1])
        steps = [k for k in demo if k != "Answer"]
        op_line = prompt.rsplit("}", 1)[1]
        missing = [s for s in UNIVERSE if s not in steps]
        h = uniform("op", prompt)
        if "Merge" in op_line and len(steps) >= 2:
            steps.pop(int(h * len(steps)))
        elif "Split" in op_line and missing:
            steps.append(missing[int(h * len(missing))])
        elif "Remove" in op_line and steps:
            steps.pop(int(h * len(steps)))
        elif "simpler" in op_line and missing and steps:
            steps[int(h * len(steps))] = missing[int(uniform("swap", prompt) * len(missing))]
        elif "detail" in op_line and missing:
            steps.insert(0, missing[int(h * len(missing))])
        return json.dumps({**{s: "ok" for s in steps}, "Answer": demo["Answer"]})

    def _execute(self, question: str, messages) -> str:
        replies = [m for m in messages if m.role == "assistant"]
        if replies:  # one-shot: the demonstration's steps decide
            demo = json.loads(replies[0].content)
            steps = [k for k in demo if k != "Answer"]
            p = quality(steps)
        else:
            template = messages[-1].content
            steps = [k for k in json.loads(template[template.rindex("{"):]) if k != "Answer"]
            p = quality(steps) * 0.8
        truth = self.answers.get(question, "0")
        right = uniform(question) < p  # each question has a fixed difficulty; better steps clear more
        return execution_text(steps, truth if right else str(int(truth) + 1))


def execution_text(steps, answer: str) -> str:
    filler = " ".join(["x"] * (output_words(len(steps)) - 2))
    return json.dumps({**{s: filler if i == 0 else "x" for i, s in enumerate(steps)}, "Answer": answer})


def simulated_backend(answers: dict[str, str]) -> tuple[ScriptedBackend, SimulatedModel]:
    model = SimulatedModel(answers)
    return ScriptedBackend(model, fingerprint="sim:behavior", seconds_per_token=0.01), model


def cancelling_backend(answers: dict[str, str], cancel_after: int, token) -> ScriptedBackend:
    """A simulated model that sets `token` as it is asked its `cancel_after`-th call (a person
    pressing Stop in the middle of a run); that call is still answered."""
    backend, model = simulated_backend(answers)
    original = model.__call__

    def cancelling(messages, params):
        if model.calls + 1 >= cancel_after:
            token.cancel()
        return original(messages, params)

    backend._script = cancelling
    return backend


def best_achievable_reward(dev_questions: list[str], tokens_per_second: float, alpha=1.0, beta=1.0,
                           lam=0.5) -> float:
    """The maximum reward over every non-empty subset of the universe (exact)."""
    best = 0.0
    for r in range(1, len(UNIVERSE) + 1):
        for subset in itertools.combinations(UNIVERSE, r):
            steps = tuple(sorted(subset))
            acc = sum(uniform(q) < quality(steps) for q in dev_questions) / len(dev_questions)
            t = len(execution_text(subset, "0").split(" ")) / tokens_per_second
            best = max(best, alpha * acc + beta * math.exp(-lam * t))
    return best
