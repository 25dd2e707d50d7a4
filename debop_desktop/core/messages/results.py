"""Words of the Results page and the verdict (issue 25): why a difference is or is not beyond
chance, one story of what ships, and Compare runs."""

# -- the verdict's reason, from the paired test's disagreements ------------------------------
# n: questions where only one of the two was right; who: the behavior (lower case); mine and
# direct: how many of those each got right; odds: VERDICT_ODDS.
VERDICT_WHY_BETTER = (
    " Only the {n} questions where just one of the two was right tell them apart: {who} was right on {mine} of "
    "them, plain prompting on {direct}. Chance alone gives a split at least that uneven {odds}, so the gain is "
    "more than chance."
)
VERDICT_WHY_UNCLEAR = (
    " Only the {n} questions where just one of the two was right tell them apart: {who} was right on {mine} of "
    "them, plain prompting on {direct}. Chance alone gives a split at least that uneven {odds}, too often to "
    "call it a {change}."
)
VERDICT_WHY_WORSE = (
    " Only the {n} questions where just one of the two was right tell them apart: plain prompting was right on "
    "{direct} of them, {who} on {mine}. Chance alone gives a split at least that uneven {odds}."
)
VERDICT_WHY_SAME = " The two got the very same questions right, so nothing tells them apart."
VERDICT_CHANGE = {"gain": "gain", "loss": "loss"}
VERDICT_ODDS_RARE = "less than 1 time in 1,000"
VERDICT_ODDS = "about 1 time in {k}"
VERDICT_ODDS_OFTEN = "half the time or more"
# A verdict's label in a list, coloured like the banner.
VERDICT_SHORT = {"better": "helped", "no_clear_change": "no clear change", "worse": "worse; plain kept",
                 None: "not judged"}

# -- plain words elsewhere (issue 25): the technical term goes to the tooltip -----------------
PROGRESS_SPEED = "The model writes about {speed:.0f} tokens (pieces of words) a second."
IMPORT_SHUFFLE_LABEL = "Repeatable grouping number"  # its tooltip: the same number, the same shuffle (random seed)

# -- one story of what ships ------------------------------------------------------------------
SCORE_CHART_KEPT = "{score}, used"  # under the bar of the behavior the app keeps
SCORE_CHART_KEPT_HELP = (
    "The dark bar is what the app uses (exports, the Playground, Use on a file). The pale bars were compared "
    "with it; a taller pale bar was not sure enough to be kept."
)
# a bar's (and its name's) tooltip on the Results chart, where a long name is cut short
SCORE_CHART_BAR_TIP = "{name}\nFinal exam: {acc} right ({correct} of {n}); likely {low}–{high} (95%)"
SCORE_CHART_BAR_TIP_KEPT = "\nThe app uses this one (exports, the Playground, Use on a file)."
RESULTS_VERDICT_COLUMN_HELP = (
    "Did what the app keeps beat plain prompting on the final exam by more than chance? The colour is the "
    "verdict's, as above the chart."
)
RESULTS_FINAL_EXAM_COLUMN = "Final exam"  # the kept behavior's share right, in every list
RUNS_LIST_HEADERS = ("#", "model", "task", "status", "preset", "best try", "final exam", "verdict", "started")
RUNS_SHOW_KEPT = "  ← what the app uses"

# -- Compare runs: each run by task, model and date; what each keeps ---------------------------
COMPARE_RUN_NAME = "{model}, {date}"  # the task is the same for both; said once in the title
COMPARE_TITLE = "Task '{task}': what each run keeps, on the final exam"
COMPARE_ROW_KEPT = "What it keeps"
COMPARE_ROW_SCORE = "Final exam (what it keeps)"
COMPARE_ROW_VERDICT = "Against plain prompting"
COMPARE_SAME_QUESTIONS = (
    "On the {n} final-exam questions both answered, each with what it keeps: both right {both}; only {a} right "
    "{only_a}; only {b} right {only_b}; both wrong {neither}."
)
COMPARE_EVERY_BEHAVIOR = "Every way of answering each run scored on its final exam"
COMPARE_DIFFERS = "What differs"
COMPARE_SAME_SETTINGS = "Nothing: same model and settings."
COMPARE_NONE = (
    "No other finished run on this task yet. Run the same task with another model or length, then compare them "
    "here."
)
COMPARE_WITH = "Compare with"
COMPARE_SETTING = "Setting"
