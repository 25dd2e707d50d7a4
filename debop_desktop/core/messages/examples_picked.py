"""Words for the behaviors of issue 22, item 4: examples chosen per question, and prompts
answered by the likeliest allowed answer."""

from debop_desktop.core.messages.optimizer import BASELINE_CHOICES, BUSY_DOING, SHIPPED_NAMES, VERDICT_WHAT, VERDICT_WHO

NEAREST_EXAMPLES_LABEL = "The most similar solved examples"
FEW_EXAMPLES_PICKED_LABEL = "A few solved examples, likeliest allowed answer"
NEAREST_EXAMPLES_PICKED_LABEL = "The most similar solved examples, likeliest allowed answer"
PICKED_REASON = "picked by probability: {shown}"
PICKED_CALIBRATED_REASON = "picked by probability, calibrated: {shown}"
PICKED_ANY_OPTION = "the options written in each question"
EXPORT_PICKED_NOTE = (
    "In the app this behavior does not let the model write its answer: it shows the model the prompt below, asks "
    "how likely each allowed answer is ({answers}) and takes the likeliest. A file cannot carry that rule; a chat "
    "program will answer the prompt in its own words, which may score lower than the app measured."
)
EXPORT_NEAREST_NOTE = (
    "In the app each question is shown the {k} solved examples from your task whose words are most like it, so "
    "the examples change from question to question. A file cannot choose examples per question: the prompt below "
    "carries one fixed set of {k}, which may score lower than the app measured."
)

BASELINE_CHOICES.update({  # the Advanced settings' check boxes: short, so the narrow column fits 1024x640
    "nearest_examples": "Most similar examples",
    "few_examples_picked": "A few examples, likeliest answer",
    "nearest_examples_picked": "Similar examples, likeliest answer",
})
SHIPPED_NAMES.update({
    "nearest_examples": "the most similar solved examples",
    "few_examples_picked": "a few solved examples with the likeliest allowed answer",
    "nearest_examples_picked": "the most similar solved examples with the likeliest allowed answer",
})
VERDICT_WHAT.update({
    "nearest_examples": "Showing the most similar solved examples",
    "few_examples_picked": "Showing a few solved examples and picking the likeliest answer",
    "nearest_examples_picked": "Showing the most similar solved examples and picking the likeliest answer",
})
VERDICT_WHO.update({
    "nearest_examples": "The most-similar-examples prompt",
    "few_examples_picked": "The few-examples pick",
    "nearest_examples_picked": "The most-similar-examples pick",
})
BUSY_DOING.update({
    "nearest_examples": "Answering the questions with the most similar solved examples",
    "few_examples_picked": "Weighing the allowed answers after a few solved examples",
    "nearest_examples_picked": "Weighing the allowed answers after the most similar solved examples",
})
