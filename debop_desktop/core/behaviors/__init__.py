"""Every way of answering a question, behind one small protocol (base.py).

The registry lists them in the order they compete (the simplest first, which wins a tie
among equals). Adding a kind is one new module that subclasses `Behavior` and calls
`register` (with its plain name as `label`); the run scores it on dev and on the final exam,
and it can ship, like any other.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from debop_desktop.core.behaviors.base import AnswerSettings, Behavior, Reply
from debop_desktop.core.behaviors.gateways import BackendGateway, RunGateway, answer, drive

_REGISTRY: dict[str, type[Behavior]] = {}


def register(cls: type[Behavior]) -> type[Behavior]:
    """Add a kind of behavior (usable as a class decorator). A later one with the same name
    replaces the earlier."""
    if not cls.name:
        raise ValueError(f"{cls.__name__} has no name")
    _REGISTRY[cls.name] = cls
    return cls


def unregister(name: str) -> None:
    _REGISTRY.pop(name, None)


def kinds() -> tuple[type[Behavior], ...]:
    return tuple(_REGISTRY.values())


def kind(name: str) -> type[Behavior] | None:
    return _REGISTRY.get(name)


def simple_names() -> tuple[str, ...]:
    """The simple candidates, in the order they compete."""
    return tuple(c.name for c in _REGISTRY.values() if c.simple)


def label(name: str) -> str:
    """The plain name of a behavior for people."""
    from debop_desktop.core import messages as msg

    cls = _REGISTRY.get(name)
    return (cls.label if cls and cls.label else "") or msg.METHOD_LABELS.get(name, name)


class _Labels(Mapping[str, str]):
    """Every known behavior's plain name, by its stored name (the registry's, then the
    messages' for names no kind is registered under any more)."""

    def __getitem__(self, name: str) -> str:
        from debop_desktop.core import messages as msg

        if name not in _REGISTRY and name not in msg.METHOD_LABELS:
            raise KeyError(name)
        return label(name)

    def __iter__(self) -> Iterator[str]:
        from debop_desktop.core import messages as msg

        return iter(dict.fromkeys([*_REGISTRY, *msg.METHOD_LABELS]))

    def __len__(self) -> int:
        return sum(1 for _ in self)


LABELS: Mapping[str, str] = _Labels()


def rank(name: str) -> int:
    cls = _REGISTRY.get(name)
    return cls.rank if cls else 0


def build(name: str, kit, settings: AnswerSettings) -> Behavior | None:
    """The behavior `name` for a run's kit and settings; None when it is unknown or does not
    apply to this kit."""
    cls = _REGISTRY.get(name)
    return cls.build(kit, settings) if cls else None


def _register_built_in() -> None:
    from debop_desktop.core.behaviors import debop, nearest, picked, plan, prompted, rules, searched, tuned_picked

    for cls in (*prompted.BUILT_IN, *rules.BUILT_IN, *nearest.BUILT_IN, *picked.BUILT_IN, *searched.BUILT_IN,
                *plan.BUILT_IN, *debop.BUILT_IN, *tuned_picked.BUILT_IN):
        register(cls)


_register_built_in()

__all__ = ["LABELS", "AnswerSettings", "BackendGateway", "Behavior", "Reply", "RunGateway", "answer", "build", "drive",
           "kind", "kinds", "label", "rank", "register", "simple_names", "unregister"]
