"""Updating a tagger and parser on CoNLL-U with rehearsal: scores before and after, coded errors."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import spacy
from spacy.training import Example

from nerforge.errors import TrainingError
from nerforge.io.conllu import read_conllu, sentence_to_doc
from nerforge.training.syntax import SyntaxUpdateReport, update_syntax

NOUNS = ["cat", "dog", "bird", "fish", "horse"]
VERBS = ["sees", "likes", "chases", "follows"]
# CoNLL-U rows of "the NOUN VERB a NOUN ." : ID FORM LEMMA UPOS XPOS FEATS HEAD DEPREL DEPS MISC
FRAME = [
    ("the", "DET", "DT", 2, "det"),
    ("{0}", "NOUN", "NN", 3, "nsubj"),
    ("{1}", "VERB", "VBZ", 0, "root"),
    ("a", "DET", "DT", 5, "det"),
    ("{2}", "NOUN", "NN", 3, "obj"),
    (".", "PUNCT", ".", 3, "punct"),
]


def write_conllu(path: Path, n: int, seed: int) -> Path:
    rng = random.Random(seed)
    blocks = []
    for _ in range(n):
        fill = (rng.choice(NOUNS), rng.choice(VERBS), rng.choice(NOUNS))
        rows = [
            "\t".join(
                # no space between the last noun and the full stop
                [
                    str(i),
                    form.format(*fill),
                    "_",
                    upos,
                    xpos,
                    "_",
                    str(head),
                    dep,
                    "_",
                    "SpaceAfter=No" if i == 5 else "_",
                ]
            )
            for i, (form, upos, xpos, head, dep) in enumerate(FRAME, start=1)
        ]
        blocks.append("\n".join(rows))
    path.write_text("\n\n".join(blocks) + "\n\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    """A tiny tagger and parser trained from blank on the frame: the 'pretrained' pipeline."""
    folder = tmp_path_factory.mktemp("syntax")
    nlp = spacy.blank("en")
    nlp.add_pipe("tagger")
    nlp.add_pipe("parser")
    sentences = list(read_conllu(write_conllu(folder / "base.conllu", 30, 0)))
    examples = [Example(nlp.make_doc(s.text), sentence_to_doc(s, nlp.vocab)) for s in sentences]
    optimizer = nlp.initialize(lambda: examples)
    for _ in range(15):
        nlp.update(examples, sgd=optimizer)
    nlp.to_disk(folder / "base")
    return folder / "base"


@pytest.mark.parametrize("rehearsal", [True, False])
def test_an_update_reports_tags_and_trees_before_and_after(base, tmp_path, rehearsal):
    train = write_conllu(tmp_path / "train.conllu", 20, 1)
    dev = write_conllu(tmp_path / "dev.conllu", 8, 2)
    texts = tmp_path / "other.txt"
    texts.write_text("\n".join(f"the {n} likes a {m}." for n in NOUNS for m in NOUNS) + "\n")
    report = update_syntax(
        base, train, dev=dev, rehearse=texts, output=tmp_path / "out", rehearsal=rehearsal, epochs=2
    )
    assert isinstance(report, SyntaxUpdateReport) and report.components == ("tagger", "parser")
    assert report.n_train == 20 and (report.n_rehearsal > 0) == rehearsal
    for scores in (report.before, report.after):
        assert scores.n_docs == 8 and 0.0 <= scores.tag_acc <= 1.0 and 0.0 <= scores.las <= 1.0
    assert report.agreement is not None and report.agreement.n_docs == 2  # a tenth of 25 texts
    assert spacy.load(tmp_path / "out").pipe_names == ["tagger", "parser"]
    assert set(report.to_dict()) >= {"before", "after", "agreement"}


def test_a_pipeline_without_tagger_or_parser_and_empty_data_are_refused(base, tmp_path):
    spacy.blank("en").to_disk(tmp_path / "blank")
    train = write_conllu(tmp_path / "train.conllu", 2, 1)
    with pytest.raises(TrainingError, match=r"\[E220\]"):
        update_syntax(tmp_path / "blank", train, dev=train, output=tmp_path / "out")
    empty = tmp_path / "empty.conllu"
    empty.write_text("\n")
    with pytest.raises(TrainingError, match=r"\[E221\]"):
        update_syntax(base, empty, dev=train, output=tmp_path / "out")


def test_train_with_a_base_and_conllu_updates_the_tagger_and_parser(base, tmp_path):
    from typer.testing import CliRunner

    from nerforge.cli import app

    train = write_conllu(tmp_path / "train.conllu", 10, 3)
    dev = write_conllu(tmp_path / "dev.conllu", 4, 4)
    args = ["train", str(train), "--base", str(base), "--dev", str(dev), "-o", str(tmp_path / "o")]
    result = CliRunner().invoke(app, [*args, "--max-epochs", "1"])
    assert result.exit_code == 0, result.output
    assert "LAS" in result.output and "(before)" in result.output
    assert spacy.load(tmp_path / "o" / "model-last").pipe_names == ["tagger", "parser"]


def test_evaluate_scores_tags_and_trees_beside_the_base(base, tmp_path):
    from typer.testing import CliRunner

    from nerforge.cli import app
    from nerforge.evaluation.syntax import evaluate_syntax

    test = write_conllu(tmp_path / "test.conllu", 5, 5)
    result = evaluate_syntax(base, test, base=base)
    assert result.model == result.base and result.model.n_docs == 5 and result.model.las is not None
    report = tmp_path / "syntax.json"
    args = ["evaluate", str(base), str(test), "--base", str(base), "--json", str(report)]
    output = CliRunner().invoke(app, args)
    assert output.exit_code == 0, output.output
    assert "LAS" in output.output and "(base)" in output.output
    assert report.exists()


def test_an_output_that_holds_a_model_is_refused_before_anything_loads(tmp_path):
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "config.cfg").write_text("")
    # the base does not exist: the output is checked first, so E211, not E401
    with pytest.raises(TrainingError, match=r"\[E211\].*config\.cfg"):
        update_syntax(
            tmp_path / "no-base", tmp_path / "t.conllu", dev=tmp_path / "d.conllu", output=tmp_path / "out"
        )


def test_train_conllu_keeps_model_last_without_overwrite(base, tmp_path):
    from typer.testing import CliRunner

    from nerforge.cli import app

    (tmp_path / "o" / "model-last").mkdir(parents=True)
    (tmp_path / "o" / "model-last" / "meta.json").write_text("{}")
    train = write_conllu(tmp_path / "train.conllu", 2, 3)
    args = ["train", str(train), "--base", str(base), "--dev", str(train), "-o", str(tmp_path / "o")]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 1 and "[E211]" in result.stderr, result.output
    assert (tmp_path / "o" / "model-last" / "meta.json").read_text() == "{}"


def test_train_conllu_refuses_the_options_it_would_ignore(base, tmp_path):
    from typer.testing import CliRunner

    from nerforge.cli import app

    train = write_conllu(tmp_path / "train.conllu", 2, 3)
    args = ["train", str(train), "--base", str(base), "--dev", str(train), "-o", str(tmp_path / "o")]
    result = CliRunner().invoke(app, [*args, "--labels", "X", "--patience", "3", "--training.max_steps", "2"])
    assert result.exit_code == 1 and "[E222]" in result.stderr, result.output
    said = " ".join(result.stderr.split())
    assert "--labels, --patience, --training.max_steps" in said and not (tmp_path / "o").exists()


def test_no_epoch_leaves_the_tagger_and_parser_as_they_were(base, tmp_path):
    train = write_conllu(tmp_path / "train.conllu", 10, 1)
    update_syntax(base, train, dev=train, output=tmp_path / "out", rehearsal=False, epochs=0)
    before, after = spacy.load(base), spacy.load(tmp_path / "out")
    for name in ("tagger", "parser"):
        assert after.get_pipe(name).model.to_bytes() == before.get_pipe(name).model.to_bytes()
