"""Ordered schema migrations. Append only: never edit or reorder a released migration.

Each migration is a function taking a connection inside an open transaction; the store
records it in `_migrations` and sets `PRAGMA user_version` to its position in the same
transaction. The schema holds everything the app keeps, so later features fill tables
rather than reshape them:

- models: GGUF files (referenced by path, never copied) and, later, server models.
- datasets / examples: tasks and their examples, each with a split.
- runs / run_events: optimization runs and the events they emitted.
- plans / nodes: DeBoP plans and search-tree nodes (a node is a demonstration).
- evaluations: one row per (run, subject, example): output, extracted answer, correct...
- completions: cache of greedy completions keyed by model hash + prompt + params.
- settings: key/value preferences.
- comparisons / comparison_models: one task, several models, one run each (m004).
- dead_ends: a search try that gave nothing new, so a resume does not ask for it again (m007).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

Migration = Callable[[sqlite3.Connection], None]


def m001_initial_schema(conn: sqlite3.Connection) -> None:
    # Statement by statement: executescript() would COMMIT the open transaction first.
    for statement in _INITIAL_SCHEMA.split(";\n"):
        if statement.strip():
            conn.execute(statement)


_INITIAL_SCHEMA = """
CREATE TABLE models (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL DEFAULT 'gguf' CHECK (kind IN ('gguf', 'server')),
    name TEXT NOT NULL,
    path TEXT UNIQUE,
    sha256 TEXT,
    size_bytes INTEGER,
    mtime REAL,
    architecture TEXT,
    parameter_count INTEGER,
    quantization TEXT,
    file_type INTEGER,
    n_layers INTEGER,
    context_length INTEGER,
    vocab_size INTEGER,
    has_chat_template INTEGER NOT NULL DEFAULT 0,
    metadata_json TEXT NOT NULL DEFAULT '{}',
    source TEXT NOT NULL DEFAULT 'added',
    endpoint TEXT,
    remote_model TEXT,
    added_at REAL NOT NULL
);
CREATE INDEX idx_models_sha256 ON models (sha256);
CREATE TABLE datasets (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    instruction TEXT NOT NULL DEFAULT '',
    answer_type TEXT NOT NULL DEFAULT 'free_text',
    scorer TEXT NOT NULL DEFAULT 'exact',
    scorer_options_json TEXT NOT NULL DEFAULT '{}',
    choices_json TEXT NOT NULL DEFAULT '[]',
    worked_examples_json TEXT NOT NULL DEFAULT '[]',
    source TEXT NOT NULL DEFAULT '',
    content_sha256 TEXT,
    split_seed INTEGER,
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL
);
CREATE TABLE examples (
    id INTEGER PRIMARY KEY,
    dataset_id INTEGER NOT NULL REFERENCES datasets (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    input TEXT NOT NULL,
    answer TEXT NOT NULL,
    notes TEXT NOT NULL DEFAULT '',
    split TEXT NOT NULL DEFAULT 'train' CHECK (split IN ('train', 'dev', 'test'))
);
CREATE INDEX idx_examples_dataset_split ON examples (dataset_id, split, position);
CREATE TABLE runs (
    id INTEGER PRIMARY KEY,
    model_id INTEGER REFERENCES models (id) ON DELETE SET NULL,
    dataset_id INTEGER REFERENCES datasets (id) ON DELETE SET NULL,
    status TEXT NOT NULL DEFAULT 'created' CHECK (status IN
        ('created', 'running', 'paused', 'cancelled', 'interrupted', 'failed', 'finished')),
    preset TEXT,
    seed INTEGER,
    config_json TEXT NOT NULL DEFAULT '{}',
    backend TEXT NOT NULL DEFAULT 'llama.cpp',
    endpoint TEXT,
    model_sha256 TEXT,
    dataset_sha256 TEXT,
    app_version TEXT,
    best_node_id INTEGER,
    summary_json TEXT NOT NULL DEFAULT '{}',
    error TEXT,
    created_at REAL NOT NULL,
    started_at REAL,
    finished_at REAL
);
CREATE TABLE run_events (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    kind TEXT NOT NULL,
    payload_json TEXT NOT NULL,
    at REAL NOT NULL,
    UNIQUE (run_id, seq)
);
CREATE TABLE plans (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    raw_text TEXT NOT NULL,
    guidelines TEXT NOT NULL DEFAULT '',
    steps_json TEXT,
    parse_ok INTEGER NOT NULL DEFAULT 0,
    dev_accuracy REAL,
    created_at REAL NOT NULL,
    UNIQUE (run_id, idx)
);
CREATE TABLE nodes (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    parent_id INTEGER REFERENCES nodes (id) ON DELETE CASCADE,
    tree_index INTEGER NOT NULL,
    plan_id INTEGER REFERENCES plans (id) ON DELETE SET NULL,
    operator TEXT,
    iteration INTEGER NOT NULL DEFAULT 0,
    depth INTEGER NOT NULL DEFAULT 0,
    demo_json TEXT NOT NULL,
    visits INTEGER NOT NULL DEFAULT 0,
    value_sum REAL NOT NULL DEFAULT 0,
    dev_accuracy REAL,
    mean_seconds REAL,
    reward REAL,
    status TEXT NOT NULL DEFAULT 'new',
    model_calls INTEGER NOT NULL DEFAULT 0,
    created_at REAL NOT NULL
);
CREATE INDEX idx_nodes_run ON nodes (run_id, parent_id);
CREATE TABLE evaluations (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    subject TEXT NOT NULL,
    node_id INTEGER REFERENCES nodes (id) ON DELETE CASCADE,
    plan_id INTEGER REFERENCES plans (id) ON DELETE CASCADE,
    example_id INTEGER NOT NULL REFERENCES examples (id) ON DELETE CASCADE,
    split TEXT NOT NULL CHECK (split IN ('train', 'dev', 'test')),
    output TEXT NOT NULL,
    extracted TEXT,
    correct INTEGER NOT NULL,
    unparsed INTEGER NOT NULL DEFAULT 0,
    reason TEXT NOT NULL DEFAULT '',
    prompt_tokens INTEGER NOT NULL DEFAULT 0,
    completion_tokens INTEGER NOT NULL DEFAULT 0,
    seconds REAL NOT NULL DEFAULT 0,
    cached INTEGER NOT NULL DEFAULT 0,
    created_at REAL NOT NULL,
    UNIQUE (run_id, subject, example_id)
);
CREATE TABLE completions (
    key TEXT PRIMARY KEY,
    model_sha256 TEXT NOT NULL,
    prompt_json TEXT NOT NULL,
    params_json TEXT NOT NULL,
    text TEXT NOT NULL,
    finish_reason TEXT NOT NULL,
    prompt_tokens INTEGER NOT NULL,
    completion_tokens INTEGER NOT NULL,
    seconds REAL NOT NULL,
    hits INTEGER NOT NULL DEFAULT 0,
    created_at REAL NOT NULL
);
CREATE INDEX idx_completions_model ON completions (model_sha256);
CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value_json TEXT NOT NULL
)
"""


def m002_deleted_tasks_keep_their_runs(conn: sqlite3.Connection) -> None:
    """A task deleted while runs use it is kept as a hidden remnant: its row (name,
    instruction, scorer) and the examples those runs evaluated, so every finished run stays
    readable and exportable. `deleted_counts_json` keeps its split sizes for provenance."""
    conn.execute("ALTER TABLE datasets ADD COLUMN deleted_at REAL")
    conn.execute("ALTER TABLE datasets ADD COLUMN deleted_counts_json TEXT")


def m003_imports_in_steps(conn: sqlite3.Connection) -> None:
    """A task being imported is written in short committed steps while `importing_since` is
    set (it is in no list and cannot be found), then shown in one short step that clears it,
    so a big import never holds the database's write lock for minutes; an import that was
    stopped half-way leaves only rows nobody sees, removed by the next import."""
    conn.execute("ALTER TABLE datasets ADD COLUMN importing_since REAL")


def m004_model_comparisons(conn: sqlite3.Connection) -> None:
    """A comparison of models on one task (issue 24): the same task, split, seed and settings
    for each model, one run per model. `comparison_models` keeps the models in the order
    chosen, the run each one got (so a stopped comparison resumes that run, never starts a
    second one) and, for a model left out, why (it does not fit in memory, its file is gone)."""
    conn.execute(
        "CREATE TABLE comparisons (id INTEGER PRIMARY KEY, "
        "dataset_id INTEGER REFERENCES datasets (id) ON DELETE SET NULL, preset TEXT NOT NULL, "
        "config_json TEXT NOT NULL, target REAL, prefer TEXT NOT NULL DEFAULT 'size', memory_limit INTEGER, "
        "status TEXT NOT NULL DEFAULT 'created', created_at REAL NOT NULL, finished_at REAL)")
    conn.execute(
        "CREATE TABLE comparison_models (comparison_id INTEGER NOT NULL REFERENCES comparisons (id) "
        "ON DELETE CASCADE, position INTEGER NOT NULL, model_id INTEGER REFERENCES models (id) ON DELETE SET NULL, "
        "model_name TEXT NOT NULL, run_id INTEGER REFERENCES runs (id) ON DELETE SET NULL, skipped TEXT, "
        "PRIMARY KEY (comparison_id, position))")


def m005_answered_files(conn: sqlite3.Connection) -> None:
    """A file answered with a run's shipped behavior (issue 23): the job remembers the file (its
    size and time, so a changed file starts a new job), the question columns and where the
    answers go; `apply_rows` records each answered row as its batch completes, so a stopped or
    killed job continues with the first row not answered and redoes none."""
    conn.execute(
        "CREATE TABLE apply_jobs (id INTEGER PRIMARY KEY, run_id INTEGER REFERENCES runs (id) ON DELETE CASCADE, "
        "input_path TEXT NOT NULL, input_size INTEGER NOT NULL, input_mtime REAL NOT NULL, "
        "sheet TEXT NOT NULL DEFAULT '', columns_json TEXT NOT NULL, output_path TEXT NOT NULL, "
        "total_rows INTEGER NOT NULL, status TEXT NOT NULL DEFAULT 'running', created_at REAL NOT NULL, "
        "finished_at REAL)")
    conn.execute(
        "CREATE TABLE apply_rows (job_id INTEGER NOT NULL REFERENCES apply_jobs (id) ON DELETE CASCADE, "
        "row_index INTEGER NOT NULL, answer TEXT NOT NULL, output TEXT NOT NULL, confidence REAL, "
        "notes TEXT NOT NULL DEFAULT '', seconds REAL NOT NULL DEFAULT 0, answered_at REAL NOT NULL, "
        "PRIMARY KEY (job_id, row_index))")


def m006_mistake_costs(conn: sqlite3.Connection) -> None:
    """A label task's mistake costs (issue 25): a JSON list of {expected, given, cost} for the
    mistakes that count other than once (core/costs.py); an existing task has none."""
    conn.execute("ALTER TABLE datasets ADD COLUMN mistake_costs_json TEXT NOT NULL DEFAULT '[]'")


def m007_search_dead_ends(conn: sqlite3.Connection) -> None:
    """A search try that gave nothing new (the rewrite did not parse, lost the answer or repeated
    a demonstration): no node is made, yet the try cost calls, so it is recorded (its iteration,
    tree, operator and calls) and a resumed run takes it from here instead of asking again."""
    conn.execute(
        "CREATE TABLE dead_ends (run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE, "
        "iteration INTEGER NOT NULL, tree_index INTEGER NOT NULL, operator TEXT NOT NULL, "
        "model_calls INTEGER NOT NULL, PRIMARY KEY (run_id, iteration))")


MIGRATIONS: list[Migration] = [m001_initial_schema, m002_deleted_tasks_keep_their_runs, m003_imports_in_steps,
                               m004_model_comparisons, m005_answered_files, m006_mistake_costs,
                               m007_search_dead_ends]
