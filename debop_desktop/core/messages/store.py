"""Sentences about the data folder and its database: read-only, busy, settings that cannot be used."""

# -- a data folder that cannot be written (issue 20) ---------------------------------------
STORE_READ_ONLY = (
    "The data folder {folder} cannot be written (it is read-only), so nothing can be saved there: you can look at "
    "your models, tasks and runs, but not add, change or tune anything. Make the folder writable again, or choose "
    "another data folder (--home DIR or DEBOP_HOME), then try again."
)
STORE_READ_ONLY_WINDOW = (
    "The data folder {folder} cannot be written (it is read-only). You can look at your models, tasks and runs, "
    "but changes cannot be saved and runs cannot start. To work normally, quit, make the folder writable (or start "
    "the app with another data folder: debop-desktop --home DIR), and open the app again."
)
STORE_READ_ONLY_LOOK = "Look without changing"
STORE_READ_ONLY_QUIT = "Quit"
STORE_READ_ONLY_EMPTY = (
    "The data folder {folder} cannot be written (it is read-only) and holds no database yet, so there is nothing "
    "to show. Make the folder writable, or choose another data folder (--home DIR or DEBOP_HOME)."
)
STORE_READ_ONLY_OLD = (
    "The database in {folder} was made by an older version of the app and must be updated before use, but the "
    "folder cannot be written (it is read-only). Make the folder writable and try again."
)
STORE_FOLDER_CANNOT_CREATE = (
    "The data folder {folder} does not exist and cannot be created ({why}). Choose another data folder "
    "(--home DIR or DEBOP_HOME)."
)

# -- another program writing to the database (issue 20) ------------------------------------
STORE_BUSY = (
    "Another program is changing the app's data in {folder} (a big import, perhaps) and had not finished after "
    "{seconds:g} seconds, so this was not done. Try again when it has finished."
)
RUN_WAITS_FOR_STORE = (
    "Another program is writing to the app's data in {folder} (a big import, perhaps); the run waits until it has "
    "finished, then goes on."
)
RUN_WAITED_FOR_STORE = "The run waited {seconds:.0f} s for another program writing to the app's data, then went on."

# -- a stored setting the app cannot use (issue 20) ---------------------------------------
SETTING_LABELS = {
    "threads": "Processor threads", "context_length": "Longest context", "gpu_layers": "Graphics card",
    "use_cache": "Saved answers", "faster_cpu_features": "Faster processor features",
    "parallel": "Questions at once",
}
SETTING_AUTOMATIC = "automatic"
SETTING_UNREADABLE = (
    "The setting '{key}' holds a value the app cannot use ({value}); using the default ({default}). "
    "Set it again on the Settings page."
)
SETTING_OUT_OF_RANGE = "The setting '{key}' is {value}, outside what the app allows; using {used}."
ARG_PARALLEL = "must be a whole number from 1 to {limit} (got '{value}')"
MODEL_LOAD_FAILED_PARALLEL = (
    "The model '{name}' could not be loaded to work on {parallel} questions at once: that needs more memory than "
    "is free, or more than this model allows. Lower 'Questions at once' on the Settings page (or set it to "
    "automatic), or give a smaller --parallel, and try again."
)
