"""Model layers nerforge adds to spaCy's registry (found through entry points, no --code)."""

from __future__ import annotations

from spacy.tokens import Doc
from thinc.api import Model, concatenate
from thinc.types import Floats2d


def with_token_features(
    tok2vec: Model[list[Doc], list[Floats2d]], features: Model[list[Doc], list[Floats2d]]
) -> Model[list[Doc], list[Floats2d]]:
    """Each token's vector from ``tok2vec``, next to a small embedding of its own surface features.

    ``tok2vec`` is, say, a transformer listener; a feature is, say, the token's shape: an
    uncased transformer can't see capitals.
    """
    model: Model[list[Doc], list[Floats2d]] = concatenate(tok2vec, features)
    return model
