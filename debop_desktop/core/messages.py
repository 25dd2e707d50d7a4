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
    "plan_examples": ("Examples shown for planning", "Train examples shown to the model while it writes plans."),
    "dev_limit": ("Dev questions used", "Dev questions that score each candidate; 'all' uses the whole dev split."),
    "plan_alpha": ("Favour better plans", "How strongly better-scoring plans are preferred as starting points."),
    "n_seeds": ("Search trees", "How many separate starting demonstrations the search grows from."),
    "seed_tries": ("Tries per starting plan", "Train questions tried per plan to find one it solves."),
    "max_iterations": ("Search iterations", "How many rewrites the search may try; more is slower and may be "
                       "better."),
    "max_children": ("Rewrites per demonstration", "How many rewrites of one demonstration are tried before "
                     "going deeper."),
    "exploration": ("Exploration", "Higher values try less promising branches more often."),
    "reward_alpha": ("Weight of accuracy", "How much dev accuracy counts in a candidate's reward."),
    "reward_beta": ("Weight of speed", "How much answering quickly counts in a candidate's reward."),
    "reward_lambda": ("Speed penalty rate", "How fast the speed reward falls as answers take longer."),
    "early_stop_probability": ("Chance to stop early", "After a rewrite that does not improve, stop the search "
                               "with this probability."),
    "max_model_calls": ("Model-call budget", "Stop the search after this many model calls; 'no limit' to turn "
                        "it off."),
    "racing": ("Skip hopeless candidates early", "Stop scoring a candidate once it can no longer beat the best."),
    "race_batch": ("Questions between checks", "How many dev questions are scored between two racing checks."),
    "race_confidence": ("Racing confidence", "How sure a check must be before it skips a candidate."),
    "max_tokens": ("Longest answer (tokens)", "The most tokens the model may write for one answer or rewrite."),
    "plan_max_tokens": ("Longest plan (tokens)", "The most tokens the model may write for one plan."),
    "test_limit": ("Test questions used", "Held-out test questions used for the before/after comparison; 'all' "
                   "uses the whole test split."),
    "seed": ("Random seed", "The same seed and settings give the same run."),
}
