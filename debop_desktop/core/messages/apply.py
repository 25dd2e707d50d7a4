"""Answering a file of new rows with a run's shipped behavior, and serving it (issue 23)."""

APPLY_NO_COLUMN = (
    "This file has no column '{column}'. Its columns are: {columns}. Choose the question columns by name "
    "(on the command line: --input COLUMN)."
)
APPLY_COLUMNS_MISMATCH = (
    "The task's questions were made from the columns {wanted}, but this file has no {missing}. Its columns are: "
    "{columns}. Rename the columns in the file, or choose the question columns yourself "
    "(on the command line: --input COLUMN …)."
)
APPLY_SAME_AS_INPUT = "The answers cannot be written over the file they answer ({path}); choose another name."
APPLY_FORMAT = (
    "Answers can be written as CSV, TSV, XLSX, JSON or JSONL; '{suffix}' is none of these. "
    "Give the output file one of those endings."
)
APPLY_MODEL_GONE = "The model this run used is no longer in your library; add it again first."
APPLY_EMPTY_QUESTION = "the question is empty"
APPLY_TOO_LONG = "the question is too long for the model's context"
APPLY_NO_ANSWER = "no answer found in what the model wrote"
APPLY_CHECK = "check"
APPLY_TARGET = "The answers go to {path} (the file itself is not changed)."
APPLY_SAVED_SO_FAR = "Saved the answers so far in {path}; the job goes on."
APPLY_COLUMNS_USED = "Questions from {columns} ({rows} rows)."
APPLY_RESUMING = "Continuing where it stopped: {done} of {total} rows were already answered."
APPLY_DONE = "Answered {answered} of {total} rows; the answers are in {path}."
APPLY_DONE_NOTES = " {notes} without an answer (the notes column says why)."
APPLY_DONE_CHECK = " {check} answers are marked to check by hand."
APPLY_BUSY = (
    "This file is already being answered by another window or process ({holder}). Let it finish, or stop it "
    "there, then start again here: it continues where that one stopped."
)
APPLY_STOPPED = (
    "Stopped after {done} of {total} rows; nothing answered is lost. Run the same command again "
    "(or 'Use on a file…' with the same file) to continue."
)

SERVE_LOOPBACK_ONLY = (
    "The tuned model is served only to programs on this computer, so it listens on 127.0.0.1 (or ::1, "
    "localhost) and nowhere else; '{host}' would let other computers reach it."
)
SERVE_LISTENING = (
    "Serving run {run} ({label}) at http://{host}:{port}/v1 for programs on this computer. "
    "Use the model name '{model}'. Press Ctrl-C to stop."
)
SERVE_ON = "on at {host}:{port}"
SERVE_ON_DETAILS = "Programs on this computer can use {url} with the model name '{model}'; other computers cannot."
SERVE_SWITCH_HELP = (
    "Let a script, a spreadsheet add-in or another app on this computer use the tuned model: an "
    "OpenAI-compatible server on 127.0.0.1, answering with exactly what the app keeps. Other computers "
    "cannot reach it. On the command line: debop serve RUN."
)
SERVE_STOPPED = "Stopped serving."
SERVE_PORT_TAKEN = "Port {port} is already in use on this computer; choose another with --port."

EXPORT_CARRIES_NOT = (
    "To answer with exactly what the app ships, use 'Use on a file…' on the Results page "
    "('debop apply') or serve it to other apps ('debop serve')."
)
EXPORT_NO_FOLLOW_UP = (
    "In the app, when the model's reasoning ends without stating an answer, a short second turn asks for it; "
    "a file cannot carry that turn."
)
EXPORT_NO_GRAMMAR = (
    "In the app the model writes under a grammar that keeps it to the plan's steps and the answer format; "
    "a file cannot carry that grammar."
)
EXPORT_LMSTUDIO_HOW = (
    "In LM Studio, open the presets menu and import this file (or drop it on the window), choose the same "
    "model, and type each question in the form the system prompt shows."
)
EXPORT_LMSTUDIO_TURNS = "Solved examples, as the app shows them before each question:"
EXPORT_LMSTUDIO_FORM = "Each question comes in this form:\n{form}"
EXPORT_LMSTUDIO_NOT_SAME = (
    "An LM Studio preset holds one system prompt, so the example turns are written into it as text; the "
    "answers may differ from what the app measured."
)
