"""Words about comparing models on a task (issue 24) and about base models."""

# -- base models (no chat template) ---------------------------------------------------------
BASE_MODEL_NOTE = "base model (no chat template): works best with examples"
BASE_MODEL_TOOLTIP = (
    "This file has no chat template, so the app writes the conversation as a plain 'User:' / 'Assistant:' "
    "transcript. A base model was trained to continue text, not to follow instructions: asked a question "
    "directly it often rambles. Showing it a few solved examples usually works much better."
)

# -- the comparison -------------------------------------------------------------------------
COMPARE_TITLE = "Compare models on “{task}”"
COMPARE_BUTTON = "Compare models…"
COMPARE_BUTTON_TOOLTIP = (
    "Run the same task on several of your models and see which is good enough: accuracy on the final exam, "
    "speed, memory and size side by side, and a recommendation."
)
COMPARE_INTRO = (
    "Every ticked model takes the same task with the same examples and settings, one after the other "
    "(one model in memory at a time). A model that does not fit in memory is skipped and the reason shown."
)
COMPARE_MODELS_LABEL = "Models to compare"
COMPARE_HOW_LONG = "How long (each)"
COMPARE_FIRST_LOOK = "Simple prompts only (a fast first look)"
COMPARE_FIRST_LOOK_TOOLTIP = (
    "Try only the simple ways of asking (plain question, a few solved examples, step by step…), without "
    "the search for a better behavior: minutes instead of much longer, and usually enough to tell models apart."
)
COMPARE_TARGET_LABEL = "Good enough at"
COMPARE_TARGET_NONE = "no target"
COMPARE_TARGET_TOOLTIP = "The share of final-exam questions a model must get right to be good enough."
COMPARE_PREFER_LABEL = "Among those, prefer"
COMPARE_PREFER = {"size": "the smallest", "speed": "the fastest"}
COMPARE_START = "Start"
COMPARE_STARTING = "Starting…"
COMPARE_STOP = "Stop"
COMPARE_RESUME = "Resume"
COMPARE_PICK_TWO = "Tick at least two models to compare."
COMPARE_NEEDS_TWO = "A comparison needs at least two different models."
COMPARE_NOT_FOUND = "There is no comparison number {id}. See 'debop compare --list'."
COMPARE_BAD_TARGET = "The target must be a share between 0 and 100 %, not {value}."
COMPARE_BAD_PREFER = "Prefer 'size' or 'speed', not '{value}'."
COMPARE_MODEL_STARTING = "Model {n} of {count}: {model}"
COMPARE_MODEL_RESUMING = "Model {n} of {count}: {model} (continuing its stopped run)"
COMPARE_BUSY_RESUME = "The comparison has stopped; resume it when that has finished."
COMPARE_STOPPED = "Stopped. What was done is kept; resume the comparison to continue where it left off."
COMPARE_DONE = "Done. {sentence}"
COMPARE_FINISHED = "Done. Every model has had its turn."
COMPARE_EMPTY = "Tick the models to compare and press Start. The table fills in as each model finishes."

# why a model is left out
COMPARE_SKIPPED_MEMORY = "Skipped: it needs about {need} of memory and {have} {where}."
COMPARE_LIMIT_SET = "is the limit set for this comparison"
COMPARE_LIMIT_FREE = "is free on this computer"
COMPARE_SKIPPED_MISSING = "Skipped: its file is missing (moved or deleted?)."
COMPARE_SKIPPED_REMOVED = "Skipped: it is no longer in your library."
COMPARE_SKIPPED_ERROR = "Skipped: {error}"

# the table (the CLI and the app)
COMPARE_COLUMNS = ("Model", "Final exam", "95 % range", "Kept", "Answers/s", "Memory", "File", "Verdict")
COMPARE_COLUMN_HELP = (
    "The model (★: recommended)",
    "Share of final-exam questions right with what the app keeps for this model",
    "The likely range of that share (95 %): two models whose ranges overlap a lot may be equally good",
    "The way of asking the app keeps for this model (the best on the questions to check with)",
    "Final-exam answers per second on this computer, with that way of asking ("
    "'no model call': a rule that gives its answer without asking the model, so no speed of its own)",
    "Memory the model needs to run with your settings",
    "Size of the model file",
    "Whether what the app keeps beat plain prompting on the final exam",
)
COMPARE_NO_MODEL_CALL = "no model call"  # the speed cell of a model whose kept behavior asks no model
COMPARE_VERDICT_WORDS = {"better": "better than plain", "no_clear_change": "no clear change",
                         "worse": "worse (plain kept)", "": "—"}
COMPARE_STATE_WORDS = {"waiting": "waiting", "running": "running…", "cancelled": "stopped (resumable)",
                       "interrupted": "interrupted (resumable)", "failed": "failed", "created": "waiting",
                       "paused": "paused"}

# the recommendation
COMPARE_NOTHING_FINISHED = "No model has finished yet, so there is nothing to recommend."
COMPARE_SMALLEST_REACHES = (
    "Use {name}: the smallest model whose final-exam range reaches your target of {target} ({acc} right, "
    "likely {low}–{high}; {right} of {total} questions)."
)
COMPARE_FASTEST_REACHES = (
    "Use {name}: the fastest model whose final-exam range reaches your target of {target} ({speed} answers a "
    "second; {acc} right, likely {low}–{high}; {right} of {total} questions)."
)
COMPARE_MAY_FALL_SHORT = " It scored {acc} here, so on other questions it may fall short of the target."
COMPARE_NONE_REACHES = (
    "No model reaches your target of {target}; the most accurate is {name} ({acc} right, likely {low}–{high}; "
    "{right} of {total} questions)."
)
COMPARE_MOST_ACCURATE = (
    "The most accurate is {name}: {acc} right on the final exam (likely {low}–{high}; {right} of {total} "
    "questions)."
)
COMPARE_CANNOT_TELL = (
    "On these {n} final-exam questions, {name} cannot be told apart from {others}: the difference could be "
    "chance (a paired test on the same questions). More questions would tell them apart."
)
COMPARE_CLEARLY_BETTER = (
    "{other} is clearly more accurate ({other_right} of {n} right against {right}; paired test p {p}), but "
    "{but} {name}."
)
COMPARE_BUT = {"size": "larger than", "speed": "slower than"}
COMPARE_ONLY_ONE = "Only one model has finished, so there is nothing to compare it with yet."
COMPARE_CHART_TITLE = "Final exam against {x}: a dot per model, a line for its likely range, ★ recommended"
COMPARE_CHART_X = {"speed": "answers per second", "size": "file size"}
COMPARE_CHART_EMPTY = "The chart appears when a model has finished."

# the command line
COMPARE_BAD_MEMORY = "'{value}' is not a memory size; write it like 4GB or 512MB."
COMPARE_CLI_NEEDS = "Say which task and which models: debop compare --dataset TASK --models 1,2,3 (or --resume N)."
COMPARE_CLI_STARTED = "Comparison {id}: {count} models on '{task}', one after the other."
COMPARE_CLI_RESUME = "Continue it with: debop compare --resume {id}"
COMPARE_CLI_FIRST_LOOK = "first look (simple prompts only)"
COMPARE_CLI_HEADER = "Comparison {id} on '{task}' ({mode}, seed {seed}):"
COMPARE_CLI_NONE = "No comparisons yet. Start one with: debop compare --dataset TASK --models 1,2"
COMPARE_CHART_TARGET = "your target: {target}"
COMPARE_CHART_AXIS = "Accuracy against"

# -- closing the main window while a comparison runs -------------------------------------
COMPARE_CLOSE_TITLE = "A comparison is in progress"
COMPARE_CLOSE_QUESTION = (
    "Stop the comparison and close? Every model's answers so far are saved; Compare models… resumes it "
    "where it stopped."
)
