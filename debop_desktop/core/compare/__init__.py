"""Compare models on one task and pick the smallest (or fastest) that is good enough (issue 24).

- records.py: comparisons as the store keeps them (the only SQL here)
- job.py: `comparison_job`, each model's run in turn, resumable and cancellable
- outcome.py: `run_outcome`, what one run came to (the one reader of a run's results)
- table.py: `comparison_view` (the table) and `recommend` (the sentence and its warnings)
- cells.py: the table's cells in words, for the CLI and the app alike
- fit.py: memory needed, and why a model is skipped
"""
