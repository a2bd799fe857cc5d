"""A span categorizer's model: evaluate scores its spans per label in the NER's Evaluation shape,
and predict writes them (overlapping ones too) with their spans key."""

from __future__ import annotations

import json

import pytest

from nerforge.api import predict
from nerforge.evaluation.evaluate import evaluate
from nerforge.evaluation.prediction import predict as predict_file
from nerforge.io import read_tasks
from spancat_data import write_nested


@pytest.fixture(scope="module")
def spancat(spancat_run):
    return spancat_run.output / "model-best", spancat_run.dev


def test_evaluate_scores_a_span_categorizer_per_label(spancat):
    model, dev = spancat
    evaluation = evaluate(model, dev)
    assert evaluation.labels == ["GADGET", "PRODUCT_LINE"]
    assert evaluation.scores.per_label["PRODUCT_LINE"].tp > 0 and evaluation.scores.per_label["GADGET"].tp > 0
    assert evaluation.n_gold_spans == 20  # both spans of each nested pair are gold


def test_evaluate_reads_overlapping_test_spans_as_the_models_span_group(spancat, tmp_path):
    model, _dev = spancat
    _train, dev = write_nested(tmp_path, spans_key=None)
    evaluation = evaluate(model, dev)
    assert evaluation.n_gold_spans == 20 and evaluation.stream.n_rejected == 0


def test_predict_writes_overlapping_spans_with_their_key(spancat, tmp_path):
    model, dev = spancat
    output = tmp_path / "predicted.jsonl"
    predict_file(model, dev, output)
    first = json.loads(output.read_text().splitlines()[0])
    assert first["spans_key"] == "sc"
    [task] = list(read_tasks(output))[:1]
    assert any(a.overlaps(b) for a in task.spans for b in task.spans if a != b)


def test_the_library_predict_keeps_the_spans_key(spancat):
    model, _dev = spancat
    [task] = predict(model, ["selling my zorbo 4 pro cheap"])
    assert task.spans_key == "sc" and {span.label for span in task.spans} == {"GADGET", "PRODUCT_LINE"}
