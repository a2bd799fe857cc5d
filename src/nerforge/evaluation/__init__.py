"""Evaluation: missing-aware scoring, error analysis, prediction and exploration."""

from .predict import predict_spans
from .scoring import PRF, Scores, score_tasks

__all__ = ["PRF", "Scores", "predict_spans", "score_tasks"]
