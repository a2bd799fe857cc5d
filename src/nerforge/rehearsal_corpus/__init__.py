"""The default rehearsal corpus: general English that travels with nerforge.

A few thousand texts written for nerforge across the domains a pretrained English pipeline
serves (news, web, reviews, email, forums, conversation, finance, sports, science), holding
the names, places, organisations, dates and amounts such text holds. An update of a
pretrained pipeline rehearses the base's own predictions on it, so that the old labels keep
working outside the user's domain, and the new label learns that most text holds none of it.

- :func:`iter_default_texts` streams ``(domain, text)`` pairs from the package data.
- :func:`base_annotations` gives the base's entities on the corpus as complete tasks,
  computed once per base and cached on disk (:func:`default_cache_dir`).
"""

from __future__ import annotations

from ..errors import RehearsalCacheError  # kept here too: it was importable from this package first
from .annotations import (
    CACHE_ENV,
    base_annotations,
    base_key,
    cached_annotations_path,
    default_cache_dir,
    predict_default_corpus,
)
from .texts import DOMAINS, corpus_fingerprint, iter_default_texts

__all__ = [
    "CACHE_ENV",
    "DOMAINS",
    "RehearsalCacheError",
    "base_annotations",
    "base_key",
    "cached_annotations_path",
    "corpus_fingerprint",
    "default_cache_dir",
    "iter_default_texts",
    "predict_default_corpus",
]
