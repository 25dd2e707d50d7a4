"""Mistake costs: which mistakes of a label task are worse than others (issue 25)."""

# the costs as a person reads them
COSTS_PAIR = "missing {expected} (answered {given}) counts {times}"
COSTS_TIMES = {1: "once"}  # else "{n} times"
COSTS_EQUAL = "Every mistake counts the same."
COSTS_NOT_LABELS = (
    "Mistake costs need a task whose answers are a small set of labels (like urgent / routine); "
    "the answers of '{name}' are not."
)
COSTS_FORMAT = (
    "Write each mistake cost as right>given=number, like urgent>routine=5 (separate several with commas); "
    "'{item}' is not written that way."
)
COSTS_UNKNOWN_LABEL = "'{label}' is not one of this task's answers ({labels})."
COSTS_SAME_LABEL = "A right answer ({label}>{label}) costs nothing; give a cost to a mistake, like {example}."
COSTS_NOT_NUMBER = "The cost of {expected}>{given} must be a number, like 5; '{value}' is not."
COSTS_NEGATIVE = "The cost of {expected}>{given} cannot be below 0 (0: that mistake does not matter); it is {value}."
COSTS_TOO_BIG = "The cost of {expected}>{given} can be at most {most}; it is {value}."

# the import wizard and the Tasks page's editor
COSTS_EDITOR_INTRO = (
    "Are some mistakes worse than others? Say how many times as bad each one is (1: as bad as any other "
    "mistake). When you do, the app keeps the behavior whose mistakes cost least, not the one with the most "
    "right answers."
)
COSTS_WIZARD_TOGGLE = "Some mistakes are worse than others (optional)"
COSTS_EDITOR_ROW = "Missing <b>{expected}</b> (answering {given}) is"
COSTS_EDITOR_TIMES = "× as bad"
COSTS_EDITOR_RESET = "All equal"
COSTS_DIALOG_TITLE = "Mistake costs: {name}"
COSTS_BUTTON = "Mistake costs…"
COSTS_BUTTON_TIP = "Say which mistakes are worse (for tasks whose answers are a few labels)."
COSTS_TASK_LINE = "Mistake costs: {costs}."
COSTS_TOO_MANY_LABELS = "This task has {n} labels; set the costs with 'debop datasets costs' on the command line."

# what ships, the verdict, the Mistakes tab, answered files
COSTS_CHOSEN = (
    "The app keeps {what}, chosen by the cost of its mistakes: {costs}. On {where}, its mistakes cost {cost} "
    "and plain prompting's {direct} (it got {right} right, plain prompting {direct_right})."
)
COSTS_KEPT_DIRECT = (
    "The app keeps plain prompting, chosen by the cost of its mistakes: {costs}. Nothing cost less by more than "
    "chance on {where} (plain prompting's mistakes cost {direct}{best})."
)
COSTS_KEPT_DIRECT_BEST = "; the cheapest other try, {what}, {cost}"
COSTS_VERDICT = (
    " Costly mistakes ({pairs}): {mine} by the kept behavior against {direct} by plain prompting; all its "
    "mistakes together cost {mine_cost} against {direct_cost}."
)
COSTS_VERDICT_DIRECT = " Costly mistakes ({pairs}): {mine}; all its mistakes together cost {mine_cost}."
COSTLY_LINE = "{n} costly mistakes: {pairs}"
COSTLY_LINE_ONE = "1 costly mistake: {pairs}"
COSTLY_NONE = "No costly mistakes ({pairs})."
COSTLY_PAIR = "{expected} answered {given}"
COSTLY_CELL_TIP = "A costly mistake: counts {times}."
APPLY_CHECK_COSTLY = "check: could be a missed {expected}"
