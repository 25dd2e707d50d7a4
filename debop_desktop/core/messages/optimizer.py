"""Words about optimizing: settings, plain names on screen, the verdict and what ships."""

# -- optimizer settings (the Optimize page's Advanced section) ---------------------------
# field of OptimizerConfig: (label, one sentence of help)
OPTIMIZER_KNOBS = {
    "n_plans": ("Approaches to write", "How many step-by-step approaches the model writes for the task at the "
                "start (plans)."),
    "plan_temperature": ("Variety of approaches", "Higher values make the approaches more varied (the plans' "
                         "sampling temperature)."),
    "plan_examples": ("Examples shown while writing approaches", "Examples to learn from (train split) shown to the "
                      "model while it writes approaches (plans)."),
    "dev_limit": ("Examples to check with", "How many examples to check with (dev split) score each try; 'all' "
                  "uses every one."),
    "plan_alpha": ("Favour better approaches", "How strongly better-scoring approaches (plans) are preferred as "
                   "starting points."),
    "n_seeds": ("Starting tries", "How many separate first tries the search grows from (search trees)."),
    "seed_tries": ("Questions per starting approach", "Examples to learn from tried per approach (plan) to find "
                   "one it solves."),
    "max_iterations": ("Tries to make", "How many changed tries the search may make (iterations of rewrites); more "
                       "is slower and may be better."),
    "max_children": ("Changes per worked example", "How many changed versions of one worked example "
                     "(demonstration rewrites) are tried before going deeper."),
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
    "max_tokens": ("Longest answer", "The most the model may write for one answer or change, in tokens (pieces "
                   "of words)."),
    "plan_max_tokens": ("Longest approach", "The most the model may write for one approach (plan), in tokens."),
    "test_limit": ("Final exam questions", "Questions kept aside (test split) for the before/after comparison; "
                   "'all' uses every one."),
    "seed": ("Repeatable run number", "The same number and settings give the same run (random seed)."),
    "search": ("Search for a better behavior", "Off: only the simple prompts are tried, a fast first look (no "
               "approaches written, no tree of tries)."),
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
                "thorough": "Thorough (much longer)", "paper": "Longest (as in the research paper)"}
# What made each try, in plain words (the operator's technical name stays in the tooltip).
OPERATOR_NAMES = {"seed": "first try", "consolidate": "steps joined", "decompose": "a step split",
                  "elaborate": "more detail", "prune": "a step dropped", "resample": "another question",
                  "simplify": "made shorter"}
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
PROGRESS_LINE = "{eta}{saved} answers skipped (tries that could no longer win)"  # speed: in its tooltip
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
    "balanced": "A good default: more approaches and tries; hopeless tries are stopped early.",
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
MEMORY_PARTS_PARALLEL = (
    "About {total} for a {ctx:,}-token context and {n} questions at once: the model {weights} + conversation "
    "memory {kv} + working space {overhead}."
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

# -- the Optimize page in plain words (issue 14) -------------------------------------------
OPTIMIZE_IDLE = "Choose a model and a task, then press Start."
OPTIMIZE_NEEDS_MODEL = "Add a model first: open the Models page and press “Add model…”. Then come back and press Start."
OPTIMIZE_NEEDS_TASK = (
    "Add examples first: open the Tasks page and import a spreadsheet of questions and answers (or make a sample "
    "task). Then come back and press Start."
)
OPTIMIZE_PAUSED = "Paused. Press Resume to go on."
OPTIMIZE_STOPPING = "Stopping after the current answer…"
OPTIMIZE_STARTING = "Starting…"  # on Start (and on Resume before the run has said what it does)
# `debop optimize` / `debop resume` asked to stop: Ctrl-C, or a signal from the system (the name in braces)
RUN_STOPPING_CTRL_C = "\nStopping… (press Ctrl-C again to quit at once)"
RUN_STOPPING_SIGNAL = (
    "\nStopping after the current answer: {why}. What was done so far is kept, and the run can be continued "
    "with 'debop resume'."
)
RUN_STOP_REASONS = {"SIGTERM": "this program was asked to end (SIGTERM)",
                    "SIGHUP": "the terminal it ran in was closed (SIGHUP)"}
OPTIMIZE_LABELS = {"model": "Model", "task": "Task", "preset": "How long"}
OPTIMIZE_PRESET_HELP = "How long to tune: longer looks at more tries and checks each on more examples."
MODEL_ON_SERVER = "  (on a server)"
ADVANCED_TITLE = "Advanced"
ADVANCED_HELP = "Tick to change any setting of the run; the chosen length's values are filled in."
ADVANCED_COMPARE_LABEL = "Also take the final exam with"
ADVANCED_COMPARE_HELP = (
    "Simple ways of asking that also take the final exam, so you can see whether tuning beat them "
    "(the baselines)."
)
# The simple ways of asking, as check boxes; the technical name (METHOD_LABELS) is the tooltip.
BASELINE_CHOICES = {"direct": "Plain question", "few_examples": "A few solved examples",
                    "zero_shot_cot": "Step by step", "worked_examples": "Your worked examples",
                    "calibrated": "Likeliest allowed answer", "tuned": "Tuned behavior"}
TRY_FACTS = "Made by: {made}. On the examples to check with: {acc}{speed}{stopped}."
TRY_NOT_SCORED = "not scored yet"
TRY_STOPPED_EARLY = " (stopped early: it could no longer win)"
TRY_TECHNICAL = (
    "Technical details: node {id}, operator {operator}, parent {parent}, reward {reward}, visits {visits}, "
    "source {source}."
)
TRY_TOOLTIP = "Try {id} ({made}): {acc}{early}"
TRY_TOOLTIP_TECHNICAL = "Technical: operator {operator}, reward {reward}."
TREE_EMPTY = "Each try of a run appears here as a dot; the dots grow into a tree while the run goes on."
RESULTS_KEPT_COLUMN_HELP = (
    "Share right on the final exam (the test split) by what the app keeps: the tuned behavior, or a simple "
    "prompt that did as well."
)
RESULTS_AFTER_HELP = "The answer of what the app keeps"
RESULTS_AFTER_TITLE = "After ({name})"  # name: SHIPPED_NAMES
PLAYGROUND_ANSWER = "Answer: <b>{answer}</b> ({seconds:.1f} s)"  # answer: escaped; pieces: not shown
PLAYGROUND_ANSWER_NO_CALL = "Answer: <b>{answer}</b> (no model call)"  # a rule (the most common answer): no time
PLAYGROUND_NO_ANSWER = "none found"

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
    "No clear change: {right} of {total} final-exam questions right instead of {direct} with plain prompting."
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
# a sentence of its own; '{answer}' is the final exam's most common answer, which may differ from
# the train split's (what "Most common answer" gives), so the sentence says which it is
VERDICT_CHANCE = " On this final exam, always answering '{answer}' (its most common answer) would score {rate}."
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
OPTIMIZER_KNOBS.update({
    "collect_temperature": ("Variety while collecting", "How varied the model's tries are while it looks for "
                            "solved examples to start from (sampling temperature)."),
    "relative_time": ("Speed only breaks ties", "Count answer time relative to this run's typical answer, and "
                      "only as a tie-breaker; off uses the paper's reward as written."),
    "speed_cap": ("Most that speed can add", "With 'Speed only breaks ties', the most a fast answer adds to a "
                  "try's score."),
    "ship_margin": ("Sureness before a try is kept", "How clearly a try must beat plain prompting on questions "
                    "the search never saw before the app keeps it instead (in standard errors)."),
    "few_examples_k": ("Solved examples shown", "How many solved examples the few-examples prompt shows."),
    "structured_output": ("Keep answers in shape", "Make the model write its plans and step-by-step answers in "
                          "the expected form, with an answer of the right kind (a grammar)."),
})
VERDICT_CHECK_YOURSELF = (
    "These scores come from your own examples; they are not a substitute for checking the answers yourself "
    "where mistakes matter."
)

# -- calibrated answers (issue 12) ----------------------------------------------------------
CALIBRATED_UNSUPPORTED = (
    "This model connection cannot tell how likely each allowed answer is, so the app did not try picking the "
    "likeliest answer; the other prompts were tried as usual."
)
CALIBRATED_NO_OPTIONS = "no answer options found in the question"
EXPORT_CALIBRATED_NOTE = (
    "In the app this behavior does not let the model write its answer: it asks the model how likely each "
    "allowed answer is ({answers}), corrects for the model's lean towards some answers, and takes the likeliest. "
    "A file cannot carry that rule. Below is the prompt it uses; a chat program will answer it in its own words, "
    "which may score lower than the app measured."
)
VERDICT_WHAT["calibrated"] = "Picking the likeliest allowed answer"
VERDICT_WHO["calibrated"] = "Picking the likeliest answer"
SHIPPED_NAMES["calibrated"] = "picking the likeliest allowed answer"
SHIPPED_NAMES["step_by_step"] = SHIPPED_NAMES["zero_shot_cot"]

SEARCH_STOPPED_EARLY = (
    "The search stopped after {n} changed tries: the last one did not beat the best so far, and after such a "
    "try the search stops with a {chance:.0%} chance, which saves time."
)

# -- time left (issue 13) ------------------------------------------------------------------
TIME_LEFT = "{span} left"
TIME_LEFT_MEASURING = "measuring the time left…"
# After a minute without progress, what the run is waiting for (by kind of model call, eta.py)
NO_PROGRESS = "{doing}… (no progress for {minutes} min; long answers take a while with this model)"
BUSY_DOING = {
    "plan": "Writing approaches",
    "execution": "Trying an approach on an example",
    "operator": "Changing a worked answer",
    "evaluation": "Checking a try on the questions",
    "direct": "Answering the questions with a plain prompt",
    "few_examples": "Answering the questions with a few solved examples",
    "zero_shot_cot": "Answering the questions step by step",
    "worked_examples": "Answering the questions with your worked examples",
    "calibrated": "Weighing the allowed answers",
}
ESTIMATE_BEFORE_RUN = "It should take {estimate}; the model's speed is measured when the run starts."
PARALLEL_LABEL = "Questions at once"
PARALLEL_AUTOMATIC = "automatic (up to 16, as memory allows)"
PARALLEL_TOOLTIP = (
    "How many questions the model works on together while answers are scored (batched decoding). "
    "Automatic picks up to 16, as free memory allows; 1 answers one question at a time. Batched and "
    "one-at-a-time answers can differ in rare near-ties."
)

# -- always the most common answer (issue 12) ------------------------------------------------
BASELINE_CHOICES["most_common"] = "Always the most common answer"
MOST_COMMON_REASON = "the most common answer among your examples, given to every question (no model call)"
SHIPPED_MOST_COMMON = (
    "Nothing the model was asked did better than always answering '{answer}' on the questions to check with "
    "({right} of {total} right), so the app keeps that one answer for every question."
)
VERDICT_MOST_COMMON = (
    "This model did no better than always answering '{answer}': that gets {right} of {total} final-exam "
    "questions right, plain prompting {direct}. The app gives '{answer}' to every question; this model is not "
    "helping with this task, so try a larger one."
)
VERDICT_WHAT["most_common"] = "Always giving the most common answer"
VERDICT_WHO["most_common"] = "Always giving the most common answer"
OUTPUT_AS_WRITTEN = "— exactly as the model wrote it —"  # after a filled plan shown as numbered steps
SHIPPED_NAMES["most_common"] = "the most common answer"
EXPORT_MOST_COMMON_NOTE = (
    "The model did no better than always answering '{answer}', so in the app this behavior gives '{answer}' to "
    "every question without asking the model. A file cannot carry that rule; below is the plain prompt, which "
    "scored lower."
)

# Each way of answering, by its plain name (a behavior may bring its own: core/behaviors).
# (direct prompting is "Plain prompting", as every sentence says it)
METHOD_LABELS = {"direct": "Plain prompting", "few_examples": "A few solved examples",
                 "zero_shot_cot": "Step by step (zero-shot CoT)", "worked_examples": "Your worked examples",
                 "calibrated": "Likeliest allowed answer (calibrated)",
                 "most_common": "Most common answer (given to every question)", "tuned": "Tuned behavior (DeBoP)"}

# -- one pool, a choice confirmed on questions the search never saw (issue 22) ----------------
STAGE_CONFIRM = "Checking the best tries on questions the search never saw"
CONFIRM_WHERE_UNSEEN = "{total} questions to check with that the search never saw"
CONFIRM_WHERE_ALL = "all {total} questions to check with"
SHIPPED_CONFIRMED = (
    "{What} beat plain prompting on {where} ({right} right, plain prompting {direct}), so the app keeps {what}."
)
SHIPPED_KEPT_DIRECT = (
    "Nothing beat plain prompting by more than chance on {where} (plain prompting {direct} right{best}), so the "
    "app keeps plain prompting."
)
SHIPPED_KEPT_DIRECT_BEST = "; the best other try, {what}, {right}"
# plain prompting was no default (`candidates.default`): one answer to nearly every question, or below chance
SHIPPED_OVER_ONE_ANSWER = (
    "Plain prompting gave one answer to nearly every one of {where} ({direct} right), so the app does not keep it "
    "by default; {what}, which reads the question, did at least as well ({right} right), so the app keeps {what}."
)
SHIPPED_OVER_CHANCE = (
    "Plain prompting got fewer of {where} right than always answering '{answer}' ({direct} against {chance}); "
    "{what}, which reads the question, did at least as well ({right} right), so the app keeps {what}."
)
SHIPPED_UNDER_CHANCE = (
    "Plain prompting got {direct} of {where} right, fewer than always answering '{answer}' can be expected to get "
    "({expected:.1f}: '{answer}' is the answer to {share:.0%} of the examples to learn from); {what}, which reads "
    "the question, did at least as well as both ({right} right), so the app keeps {what}."
)
VERDICT_MOST_COMMON_DIRECT_AHEAD = (
    "On the questions to check with, nothing the model was asked did better than always answering '{answer}', so "
    "the app gives '{answer}' to every question. On the final exam plain prompting got more right ({direct} of "
    "{total}, always '{answer}' {right}), but not by more than chance. This model is not helping much with this "
    "task, so try a larger one."
)
SHIPPED_NAMES["zero_shot_plan"] = "an approach the model wrote, followed step by step"
VERDICT_WHAT["zero_shot_plan"] = "Following an approach the model wrote"
VERDICT_WHO["zero_shot_plan"] = "The approach the model wrote"
BUSY_DOING["zero_shot_plan"] = "Following an approach on the questions"

# -- the kept behavior's mistakes on the final exam (issue 25) --------------------------------
MISTAKES_LINE = "{label}: {caught} of {total} caught{rest}"
MISTAKES_ANSWERED = "{n} answered {given}"
MISTAKES_TAB = "Mistakes"
MISTAKES_CLI_TITLE = "Final exam of what the app keeps, by right answer:"
MISTAKES_TITLE = "Final exam of {name}: each row is the right answer, each column what was given"
MISTAKES_NONE = "This task's answers are not a small set of labels, so there is no table of mistakes."
MISTAKES_CELL_HINT = "Click a number to see its questions."
MISTAKES_CELL = "Right answer '{expected}', given '{given}' ({n}):"
# the "What ships" tab: the kept behavior as the model receives it
KEPT_TITLE = "What the app uses: {name}"
KEPT_ROLE = {"system": "Instructions the model gets first", "user": "An example question",
             "assistant": "Its answer"}
KEPT_QUESTION = "Then each question, in this form"
KEPT_SEARCH_BEST = "For comparison, the search's best try (the app does not use it)"
