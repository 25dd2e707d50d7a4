"""Helpers shared by the optimizer tests and benchmarks."""


def drain(gen):
    """Run an event generator to the end: (events, the value it returned)."""
    events = []
    try:
        while True:
            events.append(next(gen))
    except StopIteration as stop:
        return events, stop.value
