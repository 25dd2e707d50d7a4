"""Every sentence the app shows a person, in one place.

Written for a domain expert, not a programmer: what happened, then what to do next.
Technical detail travels separately as an error's `details`.
"""

# -- store ------------------------------------------------------------------------------
STORE_CANNOT_OPEN = (
    "The app's database at {path} could not be opened. "
    "Check that the folder exists and you may write to it."
)
STORE_TOO_NEW = (
    "The database at {path} was saved by a newer version of DeBoP Desktop. "
    "Install the newer version to open it; this version has left it untouched."
)
STORE_INTERNAL = "Something went wrong inside the app's database code. Nothing was changed."

# -- model files ------------------------------------------------------------------------
MODEL_MISSING = (
    "There is no file at {path}. Check the name, or find the model with "
    "'Find models on this computer'."
)
MODEL_IS_DIRECTORY = "{path} is a folder, not a model file. Choose the .gguf file inside it."
MODEL_UNREADABLE = "The file {path} cannot be read. Check that you have permission to open it."
MODEL_EMPTY = "The file {path} is empty. Download the model again."
MODEL_NOT_GGUF = (
    "{path} is not a GGUF model file. DeBoP Desktop works with .gguf files, the kind "
    "LM Studio, Ollama and GPT4All download."
)
MODEL_TRUNCATED = (
    "The model file {path} is incomplete (it ends before all its weights). "
    "The download was probably interrupted: download it again."
)
MODEL_CORRUPT = (
    "The model file {path} is damaged or incomplete (an interrupted download?) "
    "and cannot be read. Download it again."
)
MODEL_VOCAB_ONLY = (
    "{path} holds only a vocabulary, no model weights, so it cannot answer questions. "
    "Choose the full model file."
)
MODEL_NOT_FOUND = "No model in your library matches '{ref}'. See the list with 'debop models list'."
MODEL_AMBIGUOUS = "More than one model matches '{ref}'. Use its number from 'debop models list'."
MODEL_ALREADY_ADDED = "This model is already in your library as '{name}'."
MODEL_MOVED = "This model was in your library under another path; its location is now updated."
MODEL_LOAD_FAILED = (
    "The model '{name}' could not be loaded. It may need more memory than is free, "
    "the file may be damaged, or it may use a model type this version does not support."
)
MODEL_NOT_LOADED = "Load a model first."
MODEL_IS_REMOTE = "'{name}' is a server model; it cannot be loaded into this app directly."

# -- memory -----------------------------------------------------------------------------
FITS_IN_RAM = "Fits in memory: needs about {need}, {free} free."
FITS_ON_GPU = "Fits on the graphics card: needs about {need}, {free} free there."
FITS_PARTLY_ON_GPU = "{layers} of {total} layers fit on the graphics card; the rest run on the processor."
DOES_NOT_FIT = (
    "Probably too big for this computer: needs about {need} but only {free} is free. "
    "Close other programs, choose a shorter context, or use a smaller model."
)

# -- discovery --------------------------------------------------------------------------
DISCOVERY_NONE = (
    "No models found in the usual places (LM Studio, Ollama, GPT4All, Jan, Hugging Face). "
    "Add a .gguf file yourself with 'Add model…'."
)

# -- generation -------------------------------------------------------------------------
GENERATION_CANCELLED = "Stopped."
ENGINE_CRASHED = (
    "The model '{model}' stopped working (its process ended unexpectedly: {why}). "
    "The app is fine; the model will be loaded again when it is next needed."
)
ENGINE_CRASHED_RETRYING = (
    "The model '{model}' crashed. It was restarted with safer settings (no graphics card, no special "
    "processor features) and the same question is being asked again; nothing was lost."
)
ENGINE_CRASHED_TWICE = (
    "The model '{model}' crashed twice, so the run was paused. Everything done so far is kept: resume it "
    "later. If it keeps happening, try a smaller context in Settings, turn off 'faster processor "
    "features', or try another copy of the model file."
)
GRAMMAR_INVALID = "The answer-shape rule given to the model is not valid, so the request was not sent."

# -- generic ----------------------------------------------------------------------------
UNEXPECTED_ERROR = (
    "Something unexpected went wrong. Nothing was lost; the details below can help a developer."
)
OFFLINE_BADGE = "Offline — nothing leaves this computer"
SERVER_BADGE = "Offline, except the server models you added: {servers}"
CONTEXT_OVERFLOW = (
    "This request is too long for the model: {prompt} prompt tokens plus room for the answer "
    "exceed its context of {n_ctx} tokens. Shorten the text or choose a longer context."
)

# -- datasets: reading files --------------------------------------------------------------
FILE_MISSING = "There is no file at {path}."
FILE_EMPTY = "The file {path} is empty."
FILE_BINARY = (
    "{path} does not look like a spreadsheet or text file. Save it as CSV, Excel (.xlsx), "
    "JSON or JSONL and try again."
)
FILE_ZIP_NOT_XLSX = "{path} is a compressed file; if it is an Excel workbook, give it the .xlsx ending."
FILE_HEADER_ONLY = "The file {path} has a header row but no examples under it."
FILE_NO_COLUMNS = "No columns were found in {path}. The first row should name the columns."
CSV_BAD_QUOTES = (
    "Line {line} of {path} has a quote mark that is never closed, so the rows cannot be told apart. "
    "Fix the quotes on that line (or save the sheet again as CSV) and try again."
)
CSV_RAGGED = (
    "Some rows of {path} have a different number of cells than the header ({expected}): "
    "line {lines}. Fix those rows and try again; nothing was imported."
)
JSONL_BAD_LINE = "Line {line} of {path} is not valid JSON ({problem}). Nothing was imported."
JSONL_NOT_OBJECT = "Line {line} of {path} is not an object with named fields. Nothing was imported."
JSON_BAD = "{path} is not valid JSON ({problem})."
JSON_SHAPE = (
    "{path} is JSON but not a list of examples. Expected a list of objects, or "
    '{{"examples": [{{"input": ..., "target": ...}}]}} as in BIG-Bench.'
)
XLSX_BAD = "{path} could not be opened as an Excel workbook. Save it again from Excel as .xlsx."
XLSX_NO_SHEET = "The workbook {path} has no sheet named '{sheet}'. Its sheets: {sheets}."
UNSUPPORTED_FORMAT = "DeBoP Desktop reads CSV, TSV, Excel (.xlsx), JSON and JSONL files, not '{suffix}'."

# -- optimizer settings (the Optimize page's Advanced section) ---------------------------
# field of OptimizerConfig: (label, one sentence of help)
OPTIMIZER_KNOBS = {
    "n_plans": ("Plans to write", "How many step-by-step plans the model writes for the task at the start."),
    "plan_temperature": ("Plan creativity", "Higher values make the plans more varied (sampling temperature)."),
    "plan_examples": ("Examples shown for planning", "Examples to learn from (train split) shown to the model while "
                      "it writes plans."),
    "dev_limit": ("Examples to check with", "How many examples to check with (dev split) score each try; 'all' "
                  "uses every one."),
    "plan_alpha": ("Favour better plans", "How strongly better-scoring plans are preferred as starting points."),
    "n_seeds": ("Starting tries", "How many separate first tries the search grows from (search trees)."),
    "seed_tries": ("Questions per starting plan", "Examples to learn from tried per plan to find one it solves."),
    "max_iterations": ("Tries to make", "How many rewritten tries the search may make (iterations); more is "
                       "slower and may be better."),
    "max_children": ("Rewrites per demonstration", "How many rewrites of one demonstration are tried before "
                     "going deeper."),
    "exploration": ("Exploration", "Higher values try less promising branches more often."),
    "reward_alpha": ("Weight of accuracy", "How much accuracy on the examples to check with counts in a try's "
                     "score (reward alpha)."),
    "reward_beta": ("Weight of speed", "How much answering quickly counts in a try's score (reward beta)."),
    "reward_lambda": ("Speed penalty rate", "How fast the speed reward falls as answers take longer."),
    "early_stop_probability": ("Chance to stop early", "After a rewrite that does not improve, stop the search "
                               "with this probability."),
    "max_model_calls": ("Model-call budget", "Stop the search after this many model calls; 'no limit' to turn "
                        "it off."),
    "racing": ("Skip hopeless tries early", "Stop scoring a try once it can no longer beat the best (racing)."),
    "race_batch": ("Questions between checks", "How many examples to check with are scored between two racing "
                   "checks."),
    "race_confidence": ("Sureness before skipping", "How sure a check must be before it skips a try (racing "
                        "confidence)."),
    "max_tokens": ("Longest answer (tokens)", "The most tokens the model may write for one answer or rewrite."),
    "plan_max_tokens": ("Longest plan (tokens)", "The most tokens the model may write for one plan."),
    "test_limit": ("Final exam questions", "Questions kept aside (test split) for the before/after comparison; "
                   "'all' uses every one."),
    "seed": ("Repeatable run number", "The same number and settings give the same run (random seed)."),
}

# -- plain words on screen: the results, the verdict, the first run (issue 14) ------------
# The three splits, as a person who never trained a model would say them; the technical
# name goes in a tooltip.
SPLIT_NAMES = {"train": "examples to learn from", "dev": "examples to check with", "test": "final exam"}
SPLIT_HELP = {
    "train": "The 'train' split: the app writes its plans and worked demonstrations from these.",
    "dev": "The 'dev' split: every try is scored on these to pick the best one.",
    "test": "The 'test' split: kept aside, never seen while tuning, and used once at the end to judge the "
            "result fairly.",
}
# Presets are named for how long they take; the estimate under the choice gives the minutes.
PRESET_NAMES = {"quick": "Quick look (fastest)", "balanced": "Balanced (a few times longer)",
                "thorough": "Thorough (much longer)", "paper": "As in the paper (longest)"}
# What made each try, in plain words (the operator's technical name stays in the tooltip).
OPERATOR_NAMES = {"seed": "first try", "consolidate": "merge steps", "decompose": "split a step",
                  "elaborate": "explain more", "prune": "drop a step", "resample": "another question",
                  "simplify": "shorten"}
TRIES_EXPLAINED = (
    "Each dot is one try: a worked example the model is shown before each question. Its colour is how many "
    "of the examples to check with it got right (red: fewest, green: most). A thick outline marks the best "
    "try; dashed ones were stopped early because they could no longer win. Click a dot to read it."
)
ACCURACY_CHART_TITLE = "Accuracy of each try (examples to check with)"
ACCURACY_CHART_HELP = (
    "Dots: the share of the examples to check with that each try got right. Line: the best so far. "
    "The search picks the best try by accuracy; when answer speed counts too, a slightly less accurate "
    "but much faster try can win."
)
TRY_DETAILS_PLACEHOLDER = "Click a dot in the tree to read that try."
PROGRESS_LINE = "{eta}{speed:.0f} words per second; {saved} answers skipped for tries that could no longer win"
RUN_DONE = "Done. {headline}"
RUN_NOT_FOUND = "There is no run number {run_id}."
RESULT_WITHOUT_VERDICT = (
    "Final exam: the tuned behavior got {tuned} of {total} questions right, plain prompting {direct}. "
    "This run was made before the app judged its results; compare the numbers yourself."
)
RESULT_NOT_JUDGED = {
    "finished": "This run finished without a final exam.",
    "cancelled": "This run was stopped before its final exam. Resume it to see how it does.",
    "interrupted": "This run was interrupted before its final exam. Resume it to see how it does.",
    "failed": "This run stopped because of an error before its final exam. Resume it to try again.",
    "other": "This run has not taken its final exam yet.",
}
RESULT_SHIPS = {
    "tuned": "Exports and the Playground use the tuned behavior.",
    "other": "The app keeps {method}: exports and the Playground use it, not the tuned behavior.",
}
RESULTS_HINT = "Choose a run to see how it did."
RESULTS_NONE = "No results yet. Tune a model on the Optimize page; its result appears here."
RESULT_EXPORTED = "Saved to {path}."
PLAYGROUND_NO_VERDICT = "Ask a question to compare the answers before and after tuning."
# The first-run checklist on an empty window.
FIRST_RUN_TITLE = "Getting started:"
FIRST_RUN_STEPS = ("1  Add a model…", "2  Add examples…", "3  Tune", "4  Check the result")
FIRST_RUN_HELP = (
    "Choose a .gguf model file (the kind LM Studio, Ollama or GPT4All download).",
    "Import a spreadsheet of questions with the answers you expect, or make a sample task.",
    "Let the app find a better way for the model to answer your questions.",
    "See whether tuning helped, on questions kept aside for the final exam.",
)
# Import wizard: repeated questions, said before importing.
DUPLICATES_BEFORE_IMPORT = (
    "{rows} row(s) repeat a question already in the file. A question that sits both in the examples to learn "
    "from and in the final exam makes the scores look better than they really are."
)
DUPLICATES_LEAK = "With these settings, {shared} repeated question(s) would land in two of the three groups."
DUPLICATES_REMOVE = "Remove the repeated rows (keep the first of each)"
DUPLICATES_REMOVED = "{rows} repeated row(s) were left out."
WIZARD_STEP = "Step {n} of {total}: {title}"
FILE_PREVIEW_EMPTY = "The first lines of the file are shown here once you choose it."
FILE_PREVIEW_BINARY = "A spreadsheet workbook; its rows are shown on the next step."
# Memory: the parts add up to the total.
MEMORY_PARTS = (
    "About {total} for a {ctx:,}-token context: the model {weights} + conversation memory {kv} + working "
    "space {overhead}."
)
FIT_BADGE = {"fits": "Fits", "partly": "Partly on the graphics card", "no": "Too big", "remote": "On a server"}
# The window needs a few system libraries; said before Qt starts, when they are missing.
QT_LIBRARIES_MISSING = (
    "DeBoP Desktop cannot open its window: this computer lacks system libraries the window needs ({libs}).\n"
    "Install them, then start the app again:\n"
    "  Debian or Ubuntu:  sudo apt install {deb}\n"
    "  Fedora:            sudo dnf install {rpm}\n"
    "(The command line, `debop`, works without them.)"
)
