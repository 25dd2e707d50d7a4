"""The DeBoP search: plan, collect, MCTS (`debop_search`, the tuned behavior's `prepare`,
behaviors/debop.py). Each stage is a generator of events.

Randomness comes from RNGs seeded per decision (plan k, iteration i), so a resumed run that
takes recorded steps from the store makes exactly the same choices as the original.
"""

from __future__ import annotations

import random
import zlib
from collections.abc import Generator, Sequence
from dataclasses import dataclass, field

from debop_desktop.core import messages as msg
from debop_desktop.core.datasets.repository import Example, WorkedExample
from debop_desktop.core.llm.base import GenerationParams
from debop_desktop.core.optimizer.demos import ANSWER_KEY, Demonstration, Plan, parse_execution, parse_plan
from debop_desktop.core.optimizer.evaluate import RunContext
from debop_desktop.core.optimizer.events import (
    BestImproved,
    Event,
    NodeAdded,
    NodeScored,
    PlanScored,
    StageChanged,
    Warning,
)
from debop_desktop.core.optimizer.grammar import plan_grammar
from debop_desktop.core.optimizer.operators import apply_operator, rewrite_kind
from debop_desktop.core.optimizer.prompts import GENERIC_PLAN, OPERATORS, execution_messages, plan_messages
from debop_desktop.core.optimizer.score_loop import evaluate
from debop_desktop.core.optimizer.search import Node, backpropagate, best_node, select


@dataclass
class Forest:
    """What the DeBoP search found: the plans (by index, None for an unreadable one), each
    scored zero-shot on dev, and every node, appended as it is made, so a cancelled or failed
    run still reports what it found."""

    plans: list[Plan | None] = field(default_factory=list)
    nodes: list[Node] = field(default_factory=list)

    @property
    def best(self) -> Node | None:
        return best_node(self.nodes)


def debop_search(ctx: RunContext, worked: Sequence[WorkedExample], train: Sequence[Example],
                 dev: Sequence[Example], forest: Forest) -> Generator[Event, None, Forest]:
    """Plan, collect and MCTS, each announced as a stage (`StageChanged` plan, collect,
    search: the Optimize page and the tree view follow them); what is found goes into
    `forest` as it is made. A resumed run replays it, taking every recorded step from the
    store. `worked`: the task's worked examples (seed stand-ins when no plan solves one)."""
    ctx.clock.start_stage("plan")
    yield StageChanged(ctx.run_id, "plan", msg.STAGE_PLAN)
    forest.plans = yield from plan_stage(ctx, train)
    ctx.clock.start_stage("collect")
    yield StageChanged(ctx.run_id, "collect", msg.STAGE_COLLECT)
    roots = yield from collect_stage(ctx, worked, forest.plans, train, dev)
    ctx.clock.start_stage("search")
    yield StageChanged(ctx.run_id, "search", msg.STAGE_SEARCH)
    yield from search_stage(ctx, roots, train, dev, forest.nodes)
    return forest


def plan_stage(ctx: RunContext, train: Sequence[Example]) -> Generator[Event, None, list[Plan | None]]:
    """Sample K plans from the meta-prompt (temperature > 0, seeded per plan), the ones not
    yet recorded together in one batch (each with its own seed)."""
    c = ctx.config
    recorded = {k: ctx.recorder.plan(k) for k in range(c.n_plans)}
    missing = [k for k, r in recorded.items() if r is None]
    prompts, settings = [], []
    for k in missing:
        rng = random.Random(f"{c.seed}:plan:{k}")
        shown = rng.sample(list(train), min(c.plan_examples, len(train)))
        grammar = plan_grammar(c.plan_max_tokens) if c.structured_output else None
        settings.append(GenerationParams(max_tokens=c.plan_max_tokens, temperature=c.plan_temperature,
                                         seed=c.seed * 1000 + k, grammar=grammar))
        prompts.append(plan_messages(ctx.instruction, [(e.input, e.answer) for e in shown]))
    written = dict(zip(missing, (yield from ctx.call_many(prompts, settings, "plan")) if missing else [],
                       strict=True))
    plans: list[Plan | None] = []
    for k in range(c.n_plans):
        if k in written:
            raw = written[k].text if written[k] else ""
            plan, why = parse_plan(raw)
            ctx.recorder.save_plan(k, raw, plan)
            if plan is None:
                yield Warning(ctx.run_id, f"Plan {k + 1}: the model's reply could not be read as a plan "
                                          f"({why}); it scores 0 and the run goes on.")
        else:
            plan = recorded[k][1]  # type: ignore[index]
        yield ctx.progress()
        plans.append(plan)
    if not any(plans):
        yield Warning(ctx.run_id, "The model wrote no usable plan; trying a generic plan "
                                  f"({' → '.join(GENERIC_PLAN.steps)}) so the search can start.")
        plans.append(GENERIC_PLAN)
        if ctx.recorder.plan(c.n_plans) is None:
            ctx.recorder.save_plan(c.n_plans, GENERIC_PLAN.guidelines, GENERIC_PLAN)
    return plans


def collect_stage(ctx: RunContext, worked: Sequence[WorkedExample], plans: list[Plan | None], train: Sequence[Example],
                  dev: Sequence[Example]) -> Generator[Event, None, list[Node]]:
    """Score each plan on dev; draw plans ∝ accuracy^α; turn correct train executions of
    the drawn plans into seed demonstrations, one tree each."""
    c, rec = ctx.config, ctx.recorder
    accuracy: list[float] = []
    for k, plan in enumerate(plans):
        acc = 0.0
        if plan is not None:
            outcome = yield from evaluate(ctx, f"plan:{k}", dev,
                                          lambda e, p=plan: execution_messages(ctx.instruction, e.input, p),
                                          plan_id=rec.plan_id(k), params=ctx.execution_params(plan))
            acc = outcome.accuracy
        rec.set_plan_accuracy(k, acc)
        accuracy.append(acc)
        yield PlanScored(ctx.run_id, k, plan.steps if plan else (), plan is not None, acc)
    roots = []
    for i in range(c.n_seeds):
        before = ctx.clock.done
        stored = rec.node(0, i)
        if stored is None:
            demo = yield from _find_seed(ctx, worked, plans, accuracy, train, i)
            node_id = rec.save_node(parent_id=None, tree_index=i, operator="seed", iteration=0, depth=0, demo=demo)
        else:  # found before the run was resumed: its sampled executions are taken from the record
            demo, node_id = stored.demo, stored.id
            ctx.clock.account("execution", _recorded_seed_calls(ctx, plans, accuracy, train, i))
        roots.append(Node(node_id, demo, i, "seed", 0, model_calls=ctx.clock.done - before))
        yield NodeAdded(ctx.run_id, node_id, None, i, "seed", 0, len(demo.steps))
    return roots


def _seed_tries(ctx: RunContext, plans: list[Plan | None], accuracy: list[float], train: Sequence[Example],
                i: int) -> tuple[random.Random, int, list[Example]]:
    """Seed i's draw: the plan (k, drawn ∝ accuracy^α; -1 when no plan is usable) and the train
    questions it is executed on in turn, with the seeded RNG the stand-ins draw from after."""
    c = ctx.config
    rng = random.Random(f"{c.seed}:seed:{i}")
    usable = [k for k, p in enumerate(plans) if p is not None]
    if not usable:
        return rng, -1, []
    weights = [accuracy[k] ** c.plan_alpha for k in usable]
    k = rng.choices(usable, weights=weights if sum(weights) > 0 else None)[0]
    return rng, k, rng.sample(list(train), min(c.seed_tries, len(train)))


def _recorded_seed_calls(ctx: RunContext, plans: list[Plan | None], accuracy: list[float],
                         train: Sequence[Example], i: int) -> int:
    """The sampled executions that found seed i, counted from the record (`_find_seed` stops at
    the first correct one that reads as steps), asking the model nothing."""
    _, k, tries = _seed_tries(ctx, plans, accuracy, train, i)
    calls = 0
    for example in tries:
        stored = ctx.recorder.evaluation(f"collect:{k}", example.id)
        if stored is None:
            break
        calls += 1
        if stored.correct and parse_execution(stored.output):
            break
    return calls


def _find_seed(ctx: RunContext, worked: Sequence[WorkedExample], plans: list[Plan | None], accuracy: list[float],
               train: Sequence[Example], i: int) -> Generator[Event, None, Demonstration]:
    c = ctx.config
    rng, k, tries = _seed_tries(ctx, plans, accuracy, train, i)
    if tries:
        plan = plans[k]
        assert plan is not None
        for example in tries:
            # Sampled at the paper's T = 0.7, with a seed per (run seed, tree, question): varied
            # demonstrations, yet the same ones on a rerun.
            sampled = ctx.execution_params(plan, temperature=c.collect_temperature,
                                           seed=zlib.crc32(f"{c.seed}:collect:{i}:{example.id}".encode()))
            outcome = yield from evaluate(ctx, f"collect:{k}", [example],
                                          lambda e: execution_messages(ctx.instruction, e.input, plan),
                                          params=sampled, kind="execution")
            if outcome.correct:
                stored = ctx.recorder.evaluation(f"collect:{k}", example.id)
                steps = parse_execution(stored.output) if stored else None
                if steps:
                    return Demonstration(example.input, tuple(steps), example.answer, example.id)
    # Stand-ins when no plan produced a correct execution (common with very small models).
    if worked:
        w = worked[i % len(worked)]
        yield Warning(ctx.run_id, msg.NO_PLAN_SOLVED_WORKED.format(n=i + 1))
        steps = parse_execution(w.reasoning)  # worked examples written as JSON steps keep them
        if not steps:
            steps = [("Reasoning", w.reasoning.rsplit("So the answer is", 1)[0].strip()), (ANSWER_KEY, w.answer)]
        return Demonstration(w.question, tuple(steps), w.answer, None, "worked_example")
    example = train[rng.randrange(len(train))]
    yield Warning(ctx.run_id, msg.NO_PLAN_SOLVED_PLAIN.format(n=i + 1))
    return Demonstration(example.input, ((ANSWER_KEY, example.answer),), example.answer, example.id, "direct")


def search_stage(ctx: RunContext, roots: list[Node], train: Sequence[Example], dev: Sequence[Example],
                 nodes: list[Node]) -> Generator[Event, None, None]:
    """Grow the forest; every node is appended to `nodes` as it is made, so a cancelled or
    failed run still reports what it found."""
    c, rec = ctx.config, ctx.recorder
    nodes.extend(roots)
    best: Node | None = None
    for root in roots:
        before = ctx.clock.done
        yield from _score(ctx, root, dev, None)
        root.model_calls += ctx.clock.done - before
        rec.update_node(root.id, model_calls=root.model_calls)
        best = yield from _maybe_best(ctx, root, best)
    decide = random.Random(f"{c.seed}:search")
    seen = {_signature(n.demo) for n in roots}
    for iteration in range(1, c.max_iterations + 1):
        if ctx.cancel and ctx.cancel.cancelled:
            from debop_desktop.core.errors import Cancelled
            raise Cancelled()
        if c.max_model_calls is not None and ctx.calls_made >= c.max_model_calls:
            yield Warning(ctx.run_id, f"Stopped the search at the budget of {c.max_model_calls} model calls.")
            break
        parent = select(roots, c.exploration, c.max_children)
        if parent is None:
            break  # every node is fully expanded
        untried = [op for op in OPERATORS if op not in parent.tried]
        operator = untried[decide.randrange(len(untried))]
        parent.tried.add(operator)
        before = ctx.clock.done
        stored = rec.node(iteration, parent.tree_index)
        dead_end = rec.dead_end(iteration, parent.tree_index) if stored is None else None
        if stored is not None:  # found before the run was resumed: its rewrite is taken from the record
            demo, node_id = stored.demo, stored.id
            ctx.clock.account(rewrite_kind(operator))
        elif dead_end is not None:  # gave nothing new before the run was resumed: not asked again
            ctx.clock.account(rewrite_kind(operator), dead_end)
            parent.dead_ends += 1
            continue
        else:
            demo = yield from apply_operator(ctx, operator, parent.demo, random.Random(f"{c.seed}:op:{iteration}"),
                                             train)
            if demo is None or _signature(demo) in seen:
                parent.dead_ends += 1  # nothing new: no evaluation is spent on it, its calls are recorded
                rec.save_dead_end(iteration, parent.tree_index, operator, ctx.clock.done - before)
                continue
            node_id = rec.save_node(parent_id=parent.id, tree_index=parent.tree_index, operator=operator,
                                    iteration=iteration, depth=parent.depth + 1, demo=demo)
        seen.add(_signature(demo))
        child = Node(node_id, demo, parent.tree_index, operator, iteration, parent)
        parent.children.append(child)
        nodes.append(child)
        yield NodeAdded(ctx.run_id, node_id, parent.id, parent.tree_index, operator, iteration, len(demo.steps))
        yield from _score(ctx, child, dev, best.reward if best else None)
        child.model_calls = ctx.clock.done - before
        rec.update_node(child.id, model_calls=child.model_calls)
        previous = best
        best = yield from _maybe_best(ctx, child, best)
        if best is previous and decide.random() < c.early_stop_probability:
            yield Warning(ctx.run_id, msg.SEARCH_STOPPED_EARLY.format(n=iteration,
                                                                        chance=c.early_stop_probability))
            break


def _signature(demo: Demonstration) -> str:
    return demo.question + "\x00" + demo.filled_json()


def _score(ctx: RunContext, node: Node, dev: Sequence[Example], best_reward: float | None
           ) -> Generator[Event, None, None]:
    outcome = yield from evaluate(
        ctx, f"node:{node.id}", dev, lambda e: execution_messages(ctx.instruction, e.input, node.demo.plan,
                                                                 node.demo),
        node_id=node.id, best_reward=best_reward, params=ctx.execution_params(node.demo.plan))
    node.accuracy, node.seconds, node.raced_out = outcome.accuracy, outcome.mean_seconds, outcome.raced_out
    node.reward = ctx.reward(outcome.accuracy, outcome.mean_seconds)
    backpropagate(node, node.reward)
    path: Node | None = node
    while path is not None:
        ctx.recorder.update_node(path.id, visits=path.visits, value_sum=path.value_sum)
        path = path.parent
    ctx.recorder.update_node(node.id, dev_accuracy=node.accuracy, mean_seconds=node.seconds, reward=node.reward,
                             status="raced_out" if node.raced_out else "scored")
    yield NodeScored(ctx.run_id, node.id, node.accuracy, node.seconds, node.reward, outcome.evaluated,
                     node.raced_out)


def _maybe_best(ctx: RunContext, node: Node, best: Node | None) -> Generator[Event, None, Node | None]:
    winner = best_node([n for n in (best, node) if n is not None])
    if winner is node and winner is not best:
        yield BestImproved(ctx.run_id, node.id, node.reward or 0.0, node.accuracy or 0.0)
    return winner
