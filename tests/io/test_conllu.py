"""CoNLL-U sentences: words, spaces, tags, trees, multi-word tokens, and coded errors with lines."""

from __future__ import annotations

from itertools import islice
from pathlib import Path

import pytest
import spacy

from nerforge.errors import DataError
from nerforge.io.conllu import ConlluSentence, doc_to_sentence, read_conllu, sentence_to_doc

UD_EWT = Path(__file__).parents[3] / "shared" / "data" / "ud-en-ewt" / "en_ewt-ud-dev.conllu"

# ID FORM LEMMA UPOS XPOS FEATS HEAD DEPREL DEPS MISC
GOOD = """\
# sent_id = s1
# text = I love it.
1\tI\tI\tPRON\tPRP\tCase=Nom|Number=Sing|Person=1\t2\tnsubj\t_\t_
2\tlove\tlove\tVERB\tVBP\tTense=Pres\t0\troot\t_\t_
3\tit\tit\tPRON\tPRP\t_\t2\tobj\t_\tSpaceAfter=No
4\t.\t.\tPUNCT\t.\t_\t2\tpunct\t_\t_

# sent_id = s2
# text = I don't know
1\tI\tI\tPRON\tPRP\t_\t4\tnsubj\t_\t_
2-3\tdon't\t_\t_\t_\t_\t_\t_\t_\t_
2\tdo\tdo\tAUX\tVBP\t_\t4\taux\t_\t_
3\tn't\tnot\tPART\tRB\t_\t4\tadvmod\t_\t_
4\tknow\tknow\tVERB\tVB\t_\t0\troot\t_\t_
"""


def write(write_file, text: str) -> Path:
    return write_file("data.conllu", text)


def row(
    word_id: str, form: str, head: str = "0", deprel: str = "root", upos: str = "X", misc: str = "_"
) -> str:
    return "\t".join([word_id, form, form.lower(), upos, "_", "_", head, deprel, "_", misc])


def sentence(*rows: str, text: str | None = None) -> str:
    comment = [f"# text = {text}"] if text is not None else []
    return "\n".join([*comment, *rows]) + "\n\n"


def test_words_tags_and_tree_are_read(write_file):
    first, _ = read_conllu(write(write_file, GOOD))
    assert first.text == "I love it." and first.task.meta == {"sent_id": "s1"}
    assert first.task.spans == () and first.task.complete is False  # CoNLL-U says nothing of entities
    assert first.task.origin is not None and first.task.origin.line == 1
    assert first.words == ("I", "love", "it", ".")
    assert first.spaces == (True, True, False, False)
    assert first.tags == ("PRP", "VBP", "PRP", ".") and first.pos == ("PRON", "VERB", "PRON", "PUNCT")
    assert first.morphs == ("Case=Nom|Number=Sing|Person=1", "Tense=Pres", "", "")
    assert first.lemmas == ("I", "love", "it", ".")
    assert first.heads == (1, 1, 1, 1)  # 0-based; the root is its own head
    assert first.deps == ("nsubj", "root", "obj", "punct")


def test_sentence_to_doc_and_back(write_file):
    vocab = spacy.blank("en").vocab
    for read in read_conllu(write(write_file, GOOD)):
        doc = sentence_to_doc(read, vocab)
        assert doc.text == read.text
        assert [token.head.i for token in doc] == list(read.heads or ())
        assert "ROOT" in [token.dep_ for token in doc]  # spaCy's label for the root
        assert doc.has_annotation("TAG") and doc.has_annotation("POS") and doc.has_annotation("LEMMA")
        assert doc_to_sentence(doc, task=read.task) == read


def test_multi_word_token_gives_its_words_as_tokens(write_file):
    _, second = read_conllu(write(write_file, GOOD))
    assert second.text == "I don't know"
    assert second.words == ("I", "do", "n't", "know") and second.spaces == (True, False, True, False)
    assert second.lemmas[1:3] == ("do", "not") and second.heads == (3, 3, 3, 3)
    doc = sentence_to_doc(second, spacy.blank("en").vocab)
    assert doc.text == "I don't know" and doc[2].lemma_ == "not" and doc[2].dep_ == "advmod"


def test_multi_word_token_its_words_do_not_spell_is_refused(write_file):
    text = sentence(row("1-2", "du"), row("1", "de", "2", "case"), row("2", "le"))
    with pytest.raises(
        DataError, match=r"\[E086\] .*data\.conllu, line 1: .*'du' \(IDs 1-2\) is spelled 'dele'"
    ):
        list(read_conllu(write(write_file, text)))


def test_empty_nodes_are_skipped(write_file):
    text = sentence(row("1", "Go"), row("1.1", "you"), row("2", "now", "1", "advmod"))
    [read] = read_conllu(write(write_file, text))
    assert read.words == ("Go", "now") and read.heads == (0, 0)


def test_text_comment_decides_spaces_when_the_words_spell_it(write_file):
    text = sentence(
        row("1", "Hi"), row("2", ",", "1", "punct"), row("3", "you", "1", "vocative"), text="Hi, you"
    )
    [read] = read_conllu(write(write_file, text))  # no SpaceAfter=No on "Hi", yet the text has none
    assert read.text == "Hi, you" and read.spaces == (False, True, False)


def test_text_comment_the_words_do_not_spell_is_rebuilt_from_the_words(write_file):
    text = sentence(row("1", "Hi"), row("2", "there", "1", "dep"), text="Hello there")
    [read] = read_conllu(write(write_file, text))
    assert read.text == "Hi there"


def test_without_text_comment_the_words_are_joined_with_spaces(write_file):
    text = sentence(
        row("1", "Go", misc="SpaceAfter=No"), row("2", "!", "1", "punct"), row("3", "now", "1", "dep")
    )
    [read] = read_conllu(write(write_file, text))
    assert read.text == "Go! now"


def test_a_file_without_trees_has_no_heads(write_file):
    text = sentence(row("1", "Go", "_", "_"), row("2", "now", "_", "_"))
    [read] = read_conllu(write(write_file, text))
    assert read.heads is None and read.deps is None
    assert not sentence_to_doc(read, spacy.blank("en").vocab).has_annotation("DEP")


def test_an_underscore_form_is_text(write_file):
    [read] = read_conllu(write(write_file, sentence(row("1", "_", upos="PUNCT"))))
    assert read.words == ("_",) and read.lemmas == ("_",) and read.text == "_"


@pytest.mark.parametrize(
    ("content", "code", "line"),
    [
        (sentence(row("1", "Go"), "2\tnow\tnow\tADV\t_\t_\t1\tadvmod\t_"), "E080", 2),
        (sentence(row("1", "Go"), row("2", "now", "3", "advmod")), "E083", 2),
        (sentence(row("1", "Go"), row("2", "now", "x", "advmod")), "E083", 2),
        (sentence(row("1", "Go"), row("two", "now", "1", "advmod")), "E081", 2),
        (sentence(row("1", "Go"), row("3", "now", "1", "advmod")), "E082", 2),
        (sentence(row("1", "Go", "2", "dep"), row("2", "now", "1", "dep")), "E084", 1),
        (sentence(row("1", "Go"), row("2", "now", "3", "dep"), row("3", "on", "2", "dep")), "E085", 2),
        (sentence(row("1", "Go"), row("2", "now", "_", "_")), "E088", 2),
        (sentence(row("1", "Go", upos="VB")), "E090", 1),
        (sentence(row("1", "Go"), row("2-3", "gonna"), row("2", "gon", "1", "dep")), "E087", 2),
        (sentence(row("1", "Go"), row("3-4", "gonna"), row("2", "gon", "1", "dep")), "E087", 2),
        ("# text = nothing\n# sent_id = x\n\n", "E089", 1),
    ],
)
def test_bad_lines_get_coded_errors_with_file_and_line(write_file, content, code, line):
    fine = "# a good sentence first\n" + row("1", "Ok") + "\n\n"  # 3 lines before the case
    with pytest.raises(DataError, match=rf"\[{code}\] .*data\.conllu, line {line + 3}: "):
        list(read_conllu(write(write_file, fine + content)))


def test_errors_name_the_physical_line(write_file):
    content = GOOD + "\n" + sentence(row("1", "Go"), row("2", "now", "9", "dep"))  # GOOD: 14 lines
    with pytest.raises(DataError, match=r"\[E083\] .*data\.conllu, line 17: HEAD '9' of word 2"):
        list(read_conllu(write(write_file, content)))


@pytest.mark.needs_data
@pytest.mark.skipif(not UD_EWT.exists(), reason="../shared/data/ud-en-ewt is absent")
def test_first_200_sentences_of_ud_english_ewt():
    vocab = spacy.blank("en").vocab
    sentences: list[ConlluSentence] = list(islice(read_conllu(UD_EWT), 200))
    assert len(sentences) == 200
    assert sentences[0].text == "From the AP comes this story :"
    assert sentences[0].heads == (2, 2, 3, 3, 5, 3, 3)
    for read in sentences:
        doc = sentence_to_doc(read, vocab)
        assert doc.text == read.text and read.task.meta["sent_id"]
        assert sum(token.dep_ == "ROOT" for token in doc) == 1
    multi_word = [read for read in sentences if any(not space for space in read.spaces[:-1])]
    assert multi_word  # SpaceAfter=No and multi-word tokens both occur in the first 200
