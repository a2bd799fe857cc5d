"""Running a pipeline's NER over texts, as spans (the helper lives in ``nerforge.spans``)."""

from __future__ import annotations

from ..spans import DEFAULT_BATCH_SIZE, predict_spans

__all__ = ["DEFAULT_BATCH_SIZE", "predict_spans"]
