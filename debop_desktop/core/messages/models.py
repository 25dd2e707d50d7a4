"""Words about the app's database, model files, memory and running models."""

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
    "How to use this file with Ollama: {save}in the folder that holds it, run\n"
    "  ollama create {name} -f {file}\n"
    "  ollama run {name}\n"
    "and ask your questions in the form shown at the end of this file."
)
EXPORT_MODELFILE_SAVE = "save this text as {file}; then, "  # when it was shown, not saved
# The status bar: which model is loaded, and for what.
MODEL_STATUS_PLAYGROUND = "Model loaded for the playground: {name}"
MODEL_STATUS_HELLO = "Model loaded (Say hello): {name}"
MODEL_STATUS_NONE = "No model loaded"
EXPORT_CHAT_JSON_HOW = (
    "Send 'messages' to any chat program or API (LM Studio, llama.cpp's server, Ollama's /api/chat), then one "
    "user message: 'question_template' with {question} replaced by your question. Use temperature 0."
)
STAGE_PLAN = "The model writes step-by-step approaches for your task"
STAGE_COLLECT = "Trying each approach on the examples to check with"
STAGE_SEARCH = "Improving the best worked answers (each change is a new try)"
STAGE_FINAL_EXAM = "Final exam: comparing on questions kept aside until now"
NO_PLAN_SOLVED_WORKED = (
    "Starting point {n}: none of the model's own approaches solved an example to learn from, so the search "
    "starts from one of your worked examples instead."
)
NO_PLAN_SOLVED_PLAIN = (
    "Starting point {n}: none of the model's own approaches solved an example to learn from, so the search "
    "starts from a plain question and its answer instead."
)
GRAMMAR_INVALID = "The answer-shape rule given to the model is not valid, so the request was not sent."

# -- several questions at once (batched evaluation) ---------------------------------------
BATCH_DECODE_FAILED = (
    "The model could not work on several questions at once (its memory for them ran out). Set "
    "\"Questions at once\" to 1 in Settings (or use --parallel 1) and try again."
)
ANSWERS_TOO_LONG = "The possible answers are too long to compare by probability; the model answers in words instead."

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

# `debop llama-server`: llama-cpp-python's own server started with this app's safe CPU settings.
LLAMA_SERVER_HELP = ("start llama-cpp-python's OpenAI-compatible server with this app's safe processor "
                     "settings (arguments after it go to the server, e.g. --model FILE --port 8080)")
LLAMA_SERVER_MISSING = ("llama-cpp-python's server is not installed. Install it with "
                        "pip install 'llama-cpp-python[server]' in the same Python, then try again.")
LLAMA_SERVER_SAFE = ("Faster processor features (weight repacking) are off for this server{why}: "
                     "some processors with AMX crash with them (llama.cpp issue 20824).")
LLAMA_SERVER_SAFE_WHY = {"amx": " because this processor reports AMX", "forced": " because DEBOP_SAFE_CPU=1"}
LLAMA_SERVER_FAST = "Faster processor features (weight repacking) are on for this server (DEBOP_SAFE_CPU=0)."
