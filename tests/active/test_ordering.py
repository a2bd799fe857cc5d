"""Question order: uncertain first, likeliest first, or a seeded shuffle, from a bounded buffer."""

from __future__ import annotations

import pytest

from nerforge.active import Suggestion, order_suggestions
from nerforge.active.ordering import uncertainty
from nerforge.errors import ParameterError
from nerforge.records import Span, Task


def _suggestions(scores):
    return [Suggestion(Task(f"text {i}"), Span(0, 4, "GADGET"), score) for i, score in enumerate(scores)]


def test_uncertainty_is_one_at_one_half_and_zero_at_the_ends():
    s = _suggestions([0.5, 0.0, 1.0, 0.75])
    assert [uncertainty(x) for x in s] == [1.0, 0.0, 0.0, 0.5]


def test_uncertain_order_asks_the_span_nearest_one_half_first():
    ordered = order_suggestions(_suggestions([0.9, 0.1, 0.45, 0.6, 0.99]), "uncertain", buffer_size=10)
    assert [s.score for s in ordered] == [0.45, 0.6, 0.9, 0.1, 0.99]


def test_score_order_asks_the_likeliest_first():
    ordered = order_suggestions(_suggestions([0.2, 0.9, 0.5]), "score", buffer_size=10)
    assert [s.score for s in ordered] == [0.9, 0.5, 0.2]


def test_the_buffer_bounds_what_is_held_from_the_stream():
    pulled = []

    def stream():
        for suggestion in _suggestions([0.1 * i for i in range(10)]):
            pulled.append(suggestion)
            yield suggestion

    ordered = order_suggestions(stream(), "uncertain", buffer_size=3)
    first = next(ordered)
    assert len(pulled) == 3 and first.score == pytest.approx(0.2)  # the best of the first three


def test_random_order_is_seeded_and_keeps_every_suggestion():
    scores = [0.1 * i for i in range(20)]
    first = [s.score for s in order_suggestions(_suggestions(scores), "random", buffer_size=5, seed=1)]
    again = [s.score for s in order_suggestions(_suggestions(scores), "random", buffer_size=5, seed=1)]
    assert first == again and sorted(first) == scores and first != scores


@pytest.mark.parametrize(("order", "buffer_size"), [("sideways", 5), ("uncertain", 0)])
def test_bad_settings_are_coded_errors(order, buffer_size):
    with pytest.raises(ParameterError, match=r"\[E403\]"):
        order_suggestions([], order, buffer_size=buffer_size)


def test_the_models_spans_and_the_pattern_matches_take_turns():
    patterns = [Suggestion(Task(f"p {i}"), Span(0, 1, "GADGET", source="pat"), 0.5) for i in range(4)]
    model = [
        Suggestion(Task(f"m {i}"), Span(0, 1, "GADGET", source="model"), 0.7 + 0.05 * i) for i in range(2)
    ]
    ordered = list(order_suggestions([*patterns, *model], "uncertain", buffer_size=10))
    sources = [s.span.source for s in ordered]
    assert sources == ["model", "pat", "model", "pat", "pat", "pat"]  # ranked together: every 0.5 first
    assert [s.score for s in ordered if s.span.source == "model"] == [0.7, 0.75]  # best first within each
