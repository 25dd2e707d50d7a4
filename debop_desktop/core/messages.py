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
CHAT_TEMPLATE_BROKEN = (
    "The model '{name}' cannot be used: its chat template (the part of the file that says how to lay out "
    "a conversation) has a mistake in it. Download the model again or choose another copy of it."
)
CHAT_TEMPLATE_TOO_SLOW = (
    "The model's chat template (the part of the file that lays out a conversation) took more than "
    "{seconds:g} seconds or grew too large, so it was stopped. The file is probably damaged or hostile; "
    "choose another copy of the model."
)
MODEL_LOAD_CRASHED = (
    "The model '{name}' could not be loaded: llama.cpp stopped while reading it ({why}), even with safe "
    "settings. The file may be damaged or made for a newer version; download it again or choose another model."
)
ENGINE_SAFE_SETTINGS = (
    "Running with safe settings after a crash: processor only, without its special features."
)
MODEL_IN_USE = (
    "'{current}' is busy with {user}, so '{wanted}' cannot be loaded now (only one model is loaded at a "
    "time). Try again when it has finished, or stop it first."
)
MODEL_SWAP_QUESTION = "'{current}' is loaded. Unload it and load '{wanted}' instead?"
CPU_FEATURES_LABEL = "Faster processor features (may crash on some machines)"
CPU_FEATURES_HELP = (
    "Lets llama.cpp rearrange a model's weights for this processor's special instructions. Takes effect "
    "the next time a model is loaded."
)
CPU_FEATURES_AMX = (
    "Off by default here: this processor has Intel AMX, and llama.cpp's AMX path crashes on some of them. "
    "Takes effect the next time a model is loaded."
)
RUN_BUSY = (
    "Run {run} is already being continued elsewhere ({holder}), in another window or command. Wait for it "
    "to finish there, or stop it there first; two programs must not drive one run."
)
RUN_MODEL_CHANGED = (
    "Run {run} cannot continue: the file of '{name}' now holds different weights than the ones the run "
    "started with, and mixing the two would make its results meaningless. Put the original file back, or "
    "start a new run with the new file (add it as a model first)."
)
EXPORT_MODELFILE_HOW = (
    "How to use this file with Ollama: save it as 'Modelfile', then run\n"
    "  ollama create my-task -f Modelfile\n"
    "  ollama run my-task\n"
    "and ask your questions in the form shown at the end of this file."
)
EXPORT_CHAT_JSON_HOW = (
    "Send 'messages' to any chat program or API (LM Studio, llama.cpp's server, Ollama's /api/chat), then one "
    "user message: 'question_template' with {question} replaced by your question. Use temperature 0."
)
GRAMMAR_INVALID = "The answer-shape rule given to the model is not valid, so the request was not sent."

# -- generic ----------------------------------------------------------------------------
UNEXPECTED_ERROR = (
    "Something unexpected went wrong, and the app could not tell what. The details below can help a developer."
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
                  "elaborate": "explain more", "prune": "drop a step", "resample": "new question",
                  "simplify": "shorten"}
TRIES_EXPLAINED = (
    "Each dot is one try: a worked example the model is shown before each question. Its colour is how many "
    "of the examples to check with it got right (red: fewest, green: most). A thick outline marks the best "
    "try; dashed ones were stopped early because they could no longer win. Click a dot to read it."
)
ACCURACY_CHART_TITLE = "Accuracy of each try"
ACCURACY_CHART_HELP = (
    "Dots: the share of the examples to check with that each try got right. Line: the best so far. "
    "The search picks the best try by accuracy; when answer speed counts too, a slightly less accurate "
    "but much faster try can win."
)
TRY_DETAILS_PLACEHOLDER = "Click a dot in the tree to read that try."
PROGRESS_LINE = "{eta}{speed:.0f} word pieces a second; {saved} answers skipped (tries that could no longer win)"
RUN_DONE = "Done. {headline}"
LAST_RUN = "Your last run (run {run_id}, {status}): {headline}"
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
RESULT_SHIPS = "Exports and the Playground use {name}."  # name: SHIPPED_NAMES
PLAYGROUND_SHIPPED_TITLE = "With {name} (what the app uses)"
RESULTS_HINT = "Choose a run to see how it did."
SCORE_CHART_TITLE = "Final exam: share of questions right (the whiskers show the likely range, 95%)"
SCORE_CHART_EMPTY = "This run has no final exam scores yet."
PRESET_HELP = {
    "quick": "A first look: a few tries, checked on a small sample of your examples.",
    "balanced": "A good default: more plans and tries; hopeless tries are stopped early.",
    "thorough": "The most careful search; takes much longer.",
    "paper": "The settings of the research paper (every example checked, up to 50 tries), for comparison.",
}
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
SPLIT_SMALL_TEST = (
    "The final exam would have only {n} questions: too few to tell a small improvement from luck. "
    "Aim for 30 or more."
)
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

# -- verdict and what ships (issue 12) ---------------------------------------------------
VERDICT_WHAT = {  # who is credited in the verdict sentence
    "tuned": "Tuning", "few_examples": "Showing a few solved examples",
    "step_by_step": "Asking for step-by-step reasoning", "worked_examples": "Showing your worked examples",
}
VERDICT_WHO = {  # who answered, in the one-answer warning
    "direct": "Plain prompting", "tuned": "The tuned behavior", "few_examples": "The few-examples prompt",
    "step_by_step": "The step-by-step prompt", "worked_examples": "The worked-examples prompt",
}
VERDICT_BETTER = (
    "{what} helped: {right} of {total} final-exam questions right instead of {direct} with plain prompting."
)
VERDICT_NO_CLEAR_CHANGE = (
    "No clear change: {right} of {total} final-exam questions right instead of {direct} with plain prompting, "
    "a difference chance alone could make."
)
VERDICT_WORSE = (
    "{what} made it worse ({right} of {total} final-exam questions right instead of {direct}); "
    "the app keeps plain prompting."
)
VERDICT_KEPT_DIRECT = (
    "No improvement found: nothing beat plain prompting on the questions to check with, so the app keeps plain "
    "prompting ({right} of {total} final-exam questions right)."
)
VERDICT_NO_TEST = "The task has no final-exam questions, so the result could not be checked."
VERDICT_CHANCE = " (always answering '{answer}' would score {rate})."
VERDICT_SMALL_TEST = (
    "Only {n} final-exam questions: too few to tell small differences apart ({enough} or more is better)."
)
VERDICT_ONE_ANSWER = (
    "{who} answered '{answer}' to {k} of {n} final-exam questions; it may be ignoring the question."
)
SHIPPED_SIMPLE = (
    "No search result beat {what} on the questions to check with by more than chance, so the app keeps {what} "
    "({right} of {total} right there)."
)
SHIPPED_TUNED = "The tuned behavior beat every simple prompt on the questions to check with ({right} of {total} right)."
SHIPPED_NAMES = {  # a behavior, as the object of a sentence
    "direct": "plain prompting", "few_examples": "a few solved examples", "zero_shot_cot": "step-by-step reasoning",
    "worked_examples": "your worked examples", "tuned": "the tuned behavior",
}
STAGE_SIMPLE = "Trying plain prompts on the questions to check with"

# -- nothing lost, nothing misleading (issue 15: tasks, model files, disk, files, imports) --
TASK_DELETED = (
    "The task '{name}' was deleted. The runs made with it keep their results, but the task itself cannot be "
    "shown, changed or optimized any more."
)
TASK_HAS_RUNS = (
    "{count} run(s) used the task '{name}'. If you delete it, their results stay readable and exportable, but "
    "they can no longer be resumed. To delete it anyway, confirm (on the command line: add --with-runs)."
)
TASK_IN_USE = (
    "The task '{name}' is being used by {count} run(s) going on now. Stop or finish the run first, then delete "
    "the task."
)
TASK_DELETE_CONFIRM = "Delete '{name}' and its {size} examples?"
TASK_DELETE_CONFIRM_RUNS = (
    "Delete '{name}' and its {size} examples?\n\n{count} run(s) used this task. Their results stay readable and "
    "exportable, but they can no longer be resumed."
)
MODEL_FILE_CHANGED = (
    "The file of the model '{name}' ({path}) has changed since it was added: it now holds different weights. "
    "Runs and saved answers made with this model belong to the old file, so the new one is not used in its place. "
    "To use the new file, add it again as a model ('Add model…', or 'debop models add'); to go on with the old "
    "weights, put the original file back."
)
MODEL_ABSURD_METADATA = (
    "{path} says the model has {what} {value:,}, far more than any real model ({limit:,} at most). The file is "
    "damaged or was made wrongly, and loading it could crash the app, so it was not added. Download the model "
    "again from where you got it."
)
SYMLINK_LOOP = (
    "{path} is a shortcut (symbolic link) that leads round in a circle back to itself, so there is no file to "
    "open. Choose the real file instead, or fix the shortcut."
)
STORE_CORRUPT = (
    "The app's database at {path} is damaged and cannot be read (a crash, a full disk or a failing drive can "
    "cause this). The damaged file is left as it is. You can go back to the last backup copy, or start afresh in "
    "a new data folder."
)
STORE_CORRUPT_BACKUPS = "The last backup copy is {backup} (from {when}). To use it, copy it over {path}."
STORE_CORRUPT_NO_BACKUP = "There is no backup copy of it; start afresh in a new data folder (--home)."
STORE_CORRUPT_USE_BACKUP = "Use the backup copy from {when}"
STORE_CORRUPT_NEW_FOLDER = "Start afresh in a new folder…"
STORE_RESTORED = (
    "The backup copy from {when} is now in use. The damaged database was kept as {damaged}; runs and tasks made "
    "after that backup are not in the copy."
)
DISK_FULL = (
    "The disk holding {folder} is full ({free} free), so the last change could not be saved; what was saved "
    "before it is unharmed. Free at least {need} on that disk (delete files you no longer need, or empty the "
    "trash), then try again."
)
WRITE_NO_FOLDER = "The folder {folder} does not exist, so {path} was not written. Create the folder, or choose another."
WRITE_NOT_ALLOWED = (
    "You may not write to {path} (the folder or the file is read-only). Choose another place, such as your "
    "Documents folder."
)
WRITE_IS_FOLDER = "{path} is a folder. Give the name of a file to write, for example {path}/{example}."
WRITE_DISK_FULL = (
    "There is no room left on the disk to write {path}; nothing was written. Free some space and try again."
)
WRITE_EXISTS = "{path} already exists. Choose another name, or add --force to replace it."
WRITE_FAILED = "{path} could not be written ({why}). Choose another place and try again."
JSON_TOO_DEEP = (
    "{path} nests lists or objects inside each other too deeply to be a list of examples. Save the examples as a "
    "flat list of objects and try again."
)
CSV_CELL_TOO_LONG = (
    "Line {line} of {path} has a cell longer than {limit:,} characters, more than one example can hold. Shorten "
    "that cell; if it should be short, a quote mark before it is probably never closed."
)
MIXED_ENCODING = (
    "{count} line(s) of the file are in an older Windows encoding while the rest is UTF-8 (line {lines}); each "
    "line was read in its own encoding. Check that letters such as é look right in the preview."
)
XLSX_FORMULAS_WITHOUT_VALUES = (
    "Some cells of {path} hold formulas whose results were never saved in the file ({cells}), so their values "
    "cannot be read. Open the workbook in Excel or LibreOffice, save it again, and import it again."
)
FILE_UNREADABLE = "The file {path} cannot be read. Check that you have permission to open it."
FILE_IS_FOLDER = "{path} is a folder, not a file. Choose the file inside it."
ARG_POSITIVE_INT = "must be a whole number of 1 or more (got '{value}')"
ARG_NON_NEGATIVE_INT = "must be a whole number of 0 or more (got '{value}')"
OPTIMIZER_KNOBS.update({
    "collect_temperature": ("Variety while collecting", "How varied the model's tries are while it looks for "
                            "solved examples to start from (sampling temperature)."),
    "relative_time": ("Speed only breaks ties", "Count answer time relative to this run's typical answer, and "
                      "only as a tie-breaker; off uses the paper's reward as written."),
    "speed_cap": ("Most that speed can add", "With 'Speed only breaks ties', the most a fast answer adds to a "
                  "try's score."),
    "ship_margin": ("Sureness before the search's result is kept", "How clearly the search's best try must beat "
                    "the best simple prompt before the app keeps it (in standard errors)."),
    "few_examples_k": ("Solved examples shown", "How many solved examples the few-examples prompt shows."),
    "structured_output": ("Keep answers in shape", "Make the model write its plans and step-by-step answers in "
                          "the expected form, with an answer of the right kind (a grammar)."),
})
