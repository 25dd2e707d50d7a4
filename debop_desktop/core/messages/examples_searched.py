"""Words for the searched set of solved examples (issue 22, item 4): which train questions the
few-examples prompt shows, and in what order, chosen on the dev sample; the answer the
likeliest allowed one."""

from debop_desktop.core.messages.optimizer import BASELINE_CHOICES, BUSY_DOING, SHIPPED_NAMES, VERDICT_WHAT, VERDICT_WHO

SEARCHED_EXAMPLES_LABEL = "A searched set of solved examples, likeliest allowed answer"
EXPORT_SEARCHED_NOTE = (
    "In the app this behavior shows the model the solved examples below, chosen and ordered by trying several sets "
    "on your task, then, instead of letting it write its answer, asks how likely each allowed answer is "
    "({answers}) and takes the likeliest. A file carries the examples but not that rule; a chat program will answer "
    "in its own words, which may score lower than the app measured."
)

BASELINE_CHOICES["searched_examples_picked"] = "Searched examples, likeliest answer"  # short: fits 1024x640
SHIPPED_NAMES["searched_examples_picked"] = "a searched set of solved examples with the likeliest allowed answer"
VERDICT_WHAT["searched_examples_picked"] = "Showing a searched set of solved examples and picking the likeliest answer"
VERDICT_WHO["searched_examples_picked"] = "The searched-examples pick"
BUSY_DOING["searched_examples_picked"] = "Trying sets of solved examples and weighing the allowed answers"
