"""Agreement between annotators, against figures computed by hand on small tables."""

from __future__ import annotations

import pytest

from nerforge.errors import ParameterError
from nerforge.evaluation.agreement import measure_agreement
from nerforge.records import Span, Task

BINARY = {"_view_id": "ner"}


def _manual(text: str, *spans: tuple[int, int, str]) -> Task:
    return Task(text, tuple(Span(*span) for span in spans))


def _binary(text: str, start: int, end: int, answer: str) -> Task:
    span = Span(start, end, "X", "reject" if answer == "reject" else "accept")
    return Task(text, (span,), answer, False, extra=BINARY)  # type: ignore[arg-type]


T1, T2, T3 = "aa bb cc dd", "ee ff gg hh", "ii jj"
TWO_MANUAL = [
    ("ana", _manual(T1, (0, 5, "X"), (9, 11, "Y"))),
    ("bob", _manual(T1, (0, 2, "X"))),  # bob never uses Y
    ("ana", _manual(T2, (0, 2, "X"))),
    ("bob", _manual(T2, (0, 2, "X"), (6, 8, "X"))),
    ("ana", _manual(T3, (0, 2, "X"))),  # only ana: left out, counted
]


def test_two_annotators_span_f1_exact_and_partial_per_label():
    result = measure_agreement(TWO_MANUAL, n_resamples=50)
    (pair,) = result.spans.pairs
    by_label = {f1.label: f1 for f1 in pair.per_label}
    # X: ana 2 spans, bob 3; exact matches 1 (T2 ee) -> 2*1/5 = 0.4
    #    partial: T1 "aa bb"~"aa", T2 "ee"="ee" -> 2 -> 2*2/5 = 0.8
    assert by_label["X"].exact.value == pytest.approx(0.4)
    assert by_label["X"].partial.value == pytest.approx(0.8)
    # Y: ana 1 span, bob none -> 2*0/(1+0) = 0
    assert by_label["Y"].exact.value == 0.0 and by_label["Y"].partial.value == 0.0
    # ALL: exact 1, partial 2, ana 3 spans, bob 3 -> 2/6 and 4/6
    assert pair.overall.exact.value == pytest.approx(1 / 3)
    assert pair.overall.partial.value == pytest.approx(2 / 3)
    assert pair.overall.exact.n_texts == 2 and result.spans.n_texts == 2 and result.spans.n_single == 1


def test_two_annotators_krippendorff_alpha_over_tokens():
    # tokens (ana, bob): aa (X,X) bb (X,O) cc (O,O) dd (Y,O) ee (X,X) ff (O,O) gg (O,X) hh (O,O)
    # coincidences (2 coders: each ordered pair adds 1): o_XX=4, o_XO=o_OX=2, o_OO=6, o_YO=o_OY=1
    # n_X=6, n_O=9, n_Y=1, n=16; disagreeing pairs 6; n^2 - sum n_c^2 = 256 - 118 = 138
    # alpha = 1 - (n-1) * 6 / 138 = 1 - 90/138 = 48/138
    alpha = measure_agreement(TWO_MANUAL, n_resamples=50).spans.alpha
    assert alpha.value == pytest.approx(48 / 138) and alpha.n_texts == 2


def test_three_annotators_pairwise_f1_and_alpha():
    text = "aa bb cc"
    answers = [
        ("ana", _manual(text, (0, 2, "X"))),
        ("bob", _manual(text, (0, 2, "X"))),
        ("cy", _manual(text, (3, 5, "X"))),
    ]
    result = measure_agreement(answers, n_resamples=50)
    f1 = {(p.first, p.second): p.overall.exact.value for p in result.spans.pairs}
    assert f1 == {("ana", "bob"): 1.0, ("ana", "cy"): 0.0, ("bob", "cy"): 0.0}
    assert result.mean_f("ana") == 0.5 and result.mean_f("cy") == 0.0
    # 3 coders, each unit adds v_c * v_k / (3 - 1) per ordered pair:
    # aa (X,X,O): o_XX += 1, o_XO += 1, o_OX += 1; bb (O,O,X): o_OO += 1, o_OX += 1, o_XO += 1;
    # cc (O,O,O): o_OO += 3. So o_XX=1, o_XO=o_OX=2, o_OO=4; n_X=3, n_O=6, n=9
    # alpha = 1 - (9-1) * 4 / (81 - 9 - 36) = 1 - 32/36
    assert result.spans.alpha.value == pytest.approx(4 / 36)


def test_two_annotators_binary_answers_cohen_and_fleiss_kappa():
    answers = [
        ("ana", _binary("p q", 0, 1, "accept")),
        ("bob", _binary("p q", 0, 1, "accept")),
        ("ana", _binary("p q", 2, 3, "accept")),
        ("bob", _binary("p q", 2, 3, "reject")),
        ("ana", _binary("r s", 0, 1, "reject")),
        ("bob", _binary("r s", 0, 1, "reject")),
        ("ana", _binary("r s", 2, 3, "accept")),
        ("bob", _binary("r s", 2, 3, "accept")),
        ("ana", _binary("t u", 0, 1, "reject")),
        ("bob", _binary("t u", 0, 1, "accept")),
        ("ana", _binary("t u", 2, 3, "accept")),  # only ana: left out, counted
    ]
    binary = measure_agreement(answers, n_resamples=50).binary
    (pair,) = binary.pairs
    # both accept 2, ana only 1, bob only 1, both reject 1: p_o = 3/5; each accepts 3/5
    # p_e = .6*.6 + .4*.4 = .52; kappa = (.6 - .52) / (1 - .52) = 1/6
    assert pair.kappa.value == pytest.approx(1 / 6) and pair.n_units == 5 and pair.kappa.n_texts == 3
    # Fleiss, n=2, N=5: sum of squares 4+2+4+4+2 = 16, P = (16 - 10) / (5*2*1) = .6
    # p_accept = 6/10, P_e = .52: kappa = (.6 - .52) / .48 = 1/6
    assert binary.fleiss.value == pytest.approx(1 / 6)
    assert (binary.n_units, binary.n_single) == (5, 1)


def test_three_annotators_fleiss_kappa_on_units_all_answered():
    said = {
        (0, 1): ("accept", "accept", "accept"),  # (3 accepts, 0 rejects): squares 9
        (2, 3): ("accept", "accept", "reject"),  # (2, 1): 5
        (4, 5): ("reject", "reject", "reject"),  # (0, 3): 9
        (6, 7): ("accept", "reject", "reject"),  # (1, 2): 5
    }
    text = "a b c d e"
    answers = [
        (who, _binary(text, start, end, answer))
        for (start, end), answers in said.items()
        for who, answer in zip(("ana", "bob", "cy"), answers, strict=True)
    ]
    answers += [("ana", _binary(text, 8, 9, "accept")), ("bob", _binary(text, 8, 9, "accept"))]  # not cy's
    # N=4, n=3: P = (28 - 12) / (4*3*2) = 2/3; p_accept = 6/12, P_e = .5: kappa = (2/3 - .5) / .5 = 1/3
    binary = measure_agreement(answers, n_resamples=50).binary
    assert binary.fleiss.value == pytest.approx(1 / 3) and binary.fleiss.n_texts == 1
    assert len(binary.pairs) == 3 and binary.n_units == 5


def test_disputed_texts_come_most_disputed_first_with_who_said_what():
    disputed = measure_agreement(TWO_MANUAL, n_resamples=50).disputed
    # T1: union {X aa bb, Y dd, X aa}, shared none -> 3; T2: {X ee, X gg} less shared {X ee} -> 1
    assert [(d.text, d.n_disputed) for d in disputed] == [(T1, 3), (T2, 1)]
    assert [span.text_in(T1) for span in disputed[0].versions["bob"]] == ["aa"]


def test_labels_limit_what_is_compared():
    result = measure_agreement(TWO_MANUAL, labels=["X"], n_resamples=50)
    assert result.labels == ("X",)
    assert result.spans.pairs[0].overall.exact.value == pytest.approx(0.4)  # as X alone


def test_the_interval_is_seeded_and_holds_the_value():
    first = measure_agreement(TWO_MANUAL, seed=3, n_resamples=200).spans.pairs[0].overall.partial
    again = measure_agreement(TWO_MANUAL, seed=3, n_resamples=200).spans.pairs[0].overall.partial
    assert first.interval == again.interval and first.interval is not None
    low, high = first.interval
    assert low <= (first.value or 0) <= high


def test_ignored_and_rejected_manual_answers_are_left_out_and_counted():
    answers = [*TWO_MANUAL, ("cy", Task(T1, (), "ignore", False)), ("cy", Task(T2, (), "reject", False))]
    result = measure_agreement(answers, n_resamples=50)
    assert result.n_left_out == 2 and len(result.spans.pairs) == 1


def test_bad_resamples_are_a_coded_error():
    with pytest.raises(ParameterError, match=r"\[E403\]"):
        measure_agreement(TWO_MANUAL, n_resamples=0)


def test_texts_both_left_empty_give_undefined_figures_not_an_error():
    # no span anywhere: F1 = 0 / (0 + 0) and alpha's expected disagreement 0 -> undefined (None)
    result = measure_agreement([("ana", Task("aa bb")), ("bob", Task("aa bb"))], n_resamples=20)
    assert result.spans.pairs[0].overall.exact.value is None and result.spans.alpha.value is None
    assert result.disputed == ()
