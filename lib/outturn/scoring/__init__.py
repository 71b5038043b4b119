"""Self-evaluation scoring (自评表): indicator scores, budget-execution points, grades.

Public API (stable names)::

    from outturn.scoring import score_quantitative, grade
    score_quantitative(actual=99.79, target=95, weight=5, direction=">=")   # → 5.0
    grade(93)                                                               # → "优"
"""

from outturn.scoring.indicators import (
    GRADE_BANDS,
    QUALITATIVE_BANDS,
    Score,
    ScoringError,
    check_blocks,
    execution_points,
    grade,
    score_indicator,
    score_qualitative,
    score_quantitative,
)

__all__ = [
    "GRADE_BANDS",
    "QUALITATIVE_BANDS",
    "Score",
    "ScoringError",
    "check_blocks",
    "execution_points",
    "grade",
    "score_indicator",
    "score_qualitative",
    "score_quantitative",
]
