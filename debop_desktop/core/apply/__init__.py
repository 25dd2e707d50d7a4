"""Use a run's shipped behavior on a person's own file of new rows (issue 23): read it,
answer every row in batches exactly as the run scored the behavior, record each answered
row (a stopped or killed job continues), and write the answers beside the file."""

from debop_desktop.core.apply.answering import ApplyResult, answer_file, write_answers
from debop_desktop.core.apply.events import ApplyEvent, ApplyFinished, ApplyProgress, ApplyStarted
from debop_desktop.core.apply.job import apply_job, check_run_model
from debop_desktop.core.apply.plan import ApplyPlan, plan_apply

__all__ = ["ApplyEvent", "ApplyFinished", "ApplyPlan", "ApplyProgress", "ApplyResult", "ApplyStarted", "answer_file",
           "apply_job", "check_run_model", "plan_apply", "write_answers"]
