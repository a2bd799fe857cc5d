"""Active learning (``nerforge teach``).

Binary questions on the spans the model is least sure of, and a model updated from the answers.
"""

from ..training.binary import merge_answers
from .answers import AcceptedSpans, binary_answer, binary_question
from .ordering import ORDERS, Order, order_suggestions
from .pipeline import copy_pipeline, new_pipeline, teach_pipeline
from .scoring import SpanScorer, Suggestion, beam_scores
from .updating import BackgroundLearner, UpdateSettings, update_model

__all__ = [
    "ORDERS",
    "AcceptedSpans",
    "BackgroundLearner",
    "Order",
    "SpanScorer",
    "Suggestion",
    "UpdateSettings",
    "beam_scores",
    "binary_answer",
    "binary_question",
    "copy_pipeline",
    "merge_answers",
    "new_pipeline",
    "order_suggestions",
    "teach_pipeline",
    "update_model",
]
