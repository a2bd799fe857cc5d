"""evaluate and patterns score tokenize each gold text once: the token check reads the docs scored."""

from __future__ import annotations

import spacy

from model_helpers import ruler_pipeline
from nerforge.evaluation import pattern_scores
from nerforge.evaluation.evaluate import evaluate
from nerforge.evaluation.pattern_scores import score_patterns
from nerforge.records import Pattern, Span, Task

# the second cuts the token 'ipad+pencil': the check still sees it
GOLD = [
    Task("my ipad is new", (Span(3, 7, "GADGET"),)),
    Task("ipad+pencil combo", (Span(0, 4, "GADGET"),)),
    Task("nothing here", ()),
    Task("an ipad", (Span(3, 7, "GADGET"),), answer="ignore"),
]


class CountingTokenizer:
    """A tokenizer that counts the texts it splits."""

    def __init__(self, tokenizer):
        self.tokenizer = tokenizer
        self.texts = []

    def __call__(self, text):
        self.texts.append(text)
        return self.tokenizer(text)

    def pipe(self, texts, batch_size=1000):
        for text in texts:
            yield self(text)


def test_evaluate_tokenizes_each_scored_text_once():
    nlp = ruler_pipeline([{"label": "GADGET", "pattern": "ipad"}])
    counting = CountingTokenizer(nlp.tokenizer)
    nlp.tokenizer = counting
    result = evaluate(nlp, GOLD)
    assert sorted(counting.texts) == sorted(task.text for task in GOLD[:3])
    assert result.n_cut_spans == 1 and result.cut_examples == ("task 2: 'ipad' (0-4)",)


def test_patterns_score_tokenizes_each_scored_text_once(monkeypatch):
    made = []

    def blank(lang):
        nlp = spacy.util.get_lang_class(lang)()
        nlp.tokenizer = CountingTokenizer(nlp.tokenizer)
        made.append(nlp.tokenizer)
        return nlp

    monkeypatch.setattr(pattern_scores.spacy, "blank", blank)
    result = score_patterns([Pattern("GADGET", [{"LOWER": "ipad"}], id="ipad")], GOLD)
    assert sorted(made[0].texts) == sorted(task.text for task in GOLD[:3])
    assert result.n_cut_spans == 1 and result.cut_examples == ("task 2: 'ipad' (0-4)",)
