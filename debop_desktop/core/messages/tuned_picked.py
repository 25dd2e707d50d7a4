"""Words for the tuned behavior picked by probability (issue 22, item 4): the search's
demonstration, its steps written by the model, the answer the likeliest allowed one."""

from debop_desktop.core.messages.optimizer import BASELINE_CHOICES, BUSY_DOING, SHIPPED_NAMES, VERDICT_WHAT, VERDICT_WHO

TUNED_PICKED_LABEL = "Tuned behavior, likeliest allowed answer"
TUNED_PICKED_REASON = "steps written by the model, answer picked by probability: {shown}"
TUNED_PICKED_CALIBRATED_REASON = "steps written by the model, answer picked by probability, calibrated: {shown}"
EXPORT_TUNED_PICKED_NOTE = (
    "In the app this behavior lets the model write the steps of the plan below, then, instead of letting it write "
    "the answer, asks how likely each allowed answer is ({answers}) and takes the likeliest. A file cannot carry "
    "that rule; a chat program will write the answer itself, which may score lower than the app measured."
)

BASELINE_CHOICES["tuned_picked"] = "Tuned, likeliest answer"  # short: the narrow column fits 1024x640
SHIPPED_NAMES["tuned_picked"] = "the tuned behavior with the likeliest allowed answer"
VERDICT_WHAT["tuned_picked"] = "Tuning and picking the likeliest answer"
VERDICT_WHO["tuned_picked"] = "The tuned pick"
BUSY_DOING["tuned_picked"] = "Writing the tuned steps and weighing the allowed answers"
