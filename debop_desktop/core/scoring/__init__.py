"""Judge a model's answer: pull the answer out of free text, then compare it by a rule."""

from debop_desktop.core.scoring.extract import Extraction, extract_answer
from debop_desktop.core.scoring.scorers import SCORERS, Scorer, ScoreResult, get_scorer, score_output

__all__ = ["SCORERS", "Extraction", "ScoreResult", "Scorer", "extract_answer", "get_scorer", "score_output"]
