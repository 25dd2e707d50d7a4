"""Words about task files, imports, deleting tasks, disk space and exports."""

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
    "Some cells of the column(s) {columns} hold formulas whose results were never saved in the workbook ({cells}), "
    "so their values cannot be read. Open the workbook in Excel or LibreOffice, save it again, and import it again "
    "(or leave that column out)."
)
XLSX_SHEET_READ = "sheet '{sheet}'"  # said with the file name: "rows read from cases.xlsx (sheet 'Cases')"
XLSX_SHEET_SHOWN = "These rows come from the sheet '{sheet}'."
XLSX_SHEET_HIDDEN = " (hidden)"  # after a sheet's name in the list of sheets
XLSX_HIDDEN_SHEETS = "Hidden sheets were left out: {sheets}."
XLSX_HIDDEN_SHEETS_CLI = "Read one with --sheet NAME."
XLSX_HIDDEN_SHEETS_BACK = "To read one, go Back and choose it in the Sheet list."
FILE_UNREADABLE = "The file {path} cannot be read. Check that you have permission to open it."
FILE_IS_FOLDER = "{path} is a folder, not a file. Choose the file inside it."
ARG_POSITIVE_INT = "must be a whole number of 1 or more (got '{value}')"
ARG_NON_NEGATIVE_INT = "must be a whole number of 0 or more (got '{value}')"


# -- repeated questions in a task, found after import (issue 14) --------------------------
DUPLICATES_NONE = "No question appears twice in this task."
DUPLICATES_FOUND_ONE = "1 question appears {times}."
DUPLICATES_FOUND = "{n} questions appear {times}."
DUPLICATES_TIMES = {2: "twice"}  # more copies: "more than once"
DUPLICATES_TIMES_MANY = "more than once"
DUPLICATES_IN_EXAM = (
    " {who} both in the final exam and in the examples used while tuning, so the final exam looks easier than it is."
)
DUPLICATES_LEARN_AND_CHECK = " {who} both in the examples to learn from and in the examples to check with."
DUPLICATES_CONFLICTING = " {who} different expected answers."
# who: the question itself (one found), one of several, all of several, some of several
DUPLICATES_WHO_IS = {"it": "It is", "one": "1 of them is", "all": "Each of them is", "some": "{k} of them are"}
DUPLICATES_WHO_HAS = {"it": "Its copies have", "one": "1 of them has", "all": "Each of them has",
                      "some": "{k} of them have"}
DUPLICATES_SHOW = "Show them"
DUPLICATES_SHOW_ALL = "Show every example"
DUPLICATES_REMOVE_BUTTON = "Remove the repeats…"
DUPLICATES_REMOVE_CONFIRM = (
    "Delete {extra} repeated row(s) from '{name}'? One copy of each question stays: the one in the examples "
    "to learn from where there is one. Nothing else in the task changes."
)
DUPLICATES_REMOVE_CONFIRM_CONFLICTS = (
    "\n\n{k} of these questions have different expected answers; the copy that stays keeps its own answer."
)
DUPLICATES_REMOVED_AFTER = "Removed {extra} repeated row(s); every question now appears once."
DUPLICATES_USED_BY_RUNS = (
    "{count} run(s) made with '{name}' already answered some of the repeated rows, and removing them would "
    "change those runs' recorded results, so nothing was removed. To tune without the repeats, import the file "
    "again as a new task and tick 'Remove the repeated rows'."
)
SAMPLE_SEED_LABEL = "Repeatable number"
SAMPLE_SEED_HELP = "The same number gives the same questions again (the random seed)."
EXAMPLE_SPLIT_EDIT_HELP = " Double-click to move it to another group."
DUPLICATES_REMOVE_HELP = (
    "Delete the extra copies; one copy of each question stays (the one in the examples to learn from where there "
    "is one). You are asked first."
)
DUPLICATES_CLI_HINT = "To delete the repeats (one copy of each stays): debop datasets duplicates {task} --remove"

# -- the suggested instruction at import (issue 12) ----------------------------------------
INSTRUCTION_SUGGESTED = (
    "Suggested from how answers are judged and from the answers in the file. Change it to say what the model "
    "should do; the clearer it is, the fairer the comparison with plain prompting."
)
INSTRUCTION_SUGGESTED_CLI = "Instruction: {instruction}  (suggested; give your own with --instruction)"

# -- a big file read again while importing (issue 15: streamed import) ----------------------
FILE_CHANGED_SINCE_CHECK = (
    "{path} changed (or was moved) after it was checked, so nothing was imported. Check the file again "
    "(start the import again) and then import it."
)
# -- a long list of names cut short (a file with thousands of columns) -----------------------
MORE_NAMES = "… and {count:,} more"
