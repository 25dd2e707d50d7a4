"""Helpers shared by the optimizer tests and benchmarks."""


def drain(gen):
    """Run an event generator to the end: (events, the value it returned)."""
    events = []
    try:
        while True:
            events.append(next(gen))
    except StopIteration as stop:
        return events, stop.value


def evaluations_recorded(db) -> int:
    """How many evaluations a data folder's database holds (0 while it cannot be read)."""
    import sqlite3

    try:
        con = sqlite3.connect(db)
        try:
            return con.execute("SELECT COUNT(*) FROM evaluations").fetchone()[0]
        finally:
            con.close()
    except sqlite3.Error:
        return 0
