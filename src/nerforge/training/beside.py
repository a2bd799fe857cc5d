"""New labels learned beside the base's NER, which stays frozen (issue 22).

When an update teaches only labels the base does not know, the base's NER need not change at
all. A second NER component, placed before it, learns the new labels alone:

- it starts from the base NER's weights (its own tok2vec and the hidden layer); only the output
  layer, which names the labels, is new, so it knows nothing but the new labels and can never
  predict an old one;
- the base NER runs after it unchanged. spaCy's NER keeps the entities an earlier component set
  and predicts its own around them, so an old label changes only where a new-label span takes
  its tokens;
- the default corpus (and ``--rehearse``) serve as its negatives: complete tasks with no
  new-label span, which teach it that most text holds none.

Measured with ``bench/forgetting.py --other-text`` (GADGET from 115 WNUT-17 tweets; agreement
with the base's PERSON/ORG/GPE on the Lee news articles), seeds 0-2, against the shared update
(the base's NER trained with rehearsal, one release earlier): news agreement 99.5, 99.5, 99.1
(shared 90.0, 90.3, 92.1); GADGETs per 1,000 news words 0.9, 1.3, 1.5 (7.3, 6.6, 3.5); old
labels on WNUT-17 test -0.3 each (+3.1, +2.6, +1.7); GADGET F 8.7, 3.8, 3.8 (6.8, 7.0, 4.7;
the naive loop 9.1, 9.8, 9.6). Seed 0 with 2 negatives per example and 10 epochs: 96.4, 6.6,
-1.9, 9.0; with 6 and 10 epochs: 99.5, 0.7, -0.1, 4.6 (hence 6 and 20: ``defaults.py``).

The saved pipeline is an ordinary spaCy pipeline: two components of the stock ``ner``
factory. A second update with the same new labels resumes the component that holds them.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterable
from typing import Any

from spacy.language import Language

from ..docs import INCORRECT_SPANS_KEY
from ..errors import TrainingError
from ..records import Task

COMPONENT_PREFIX = "ner_"
MAX_NAME_CHARS = 40
# The parts of spaCy's TransitionBasedParser that do not depend on the labels: copied from the
# base's NER. The output layer ("upper") stays new.
SHARED_LAYERS = ("tok2vec", "lower")
# The bias of the frozen base NER's actions for the new labels. spaCy's NER adds an action for
# any label an earlier component preset (``_ensure_labels_are_added``), with zero weights: a
# score of 0 that can beat the trained actions' negative scores, so the base would start
# predicting the new label, untrained. Added up front with this bias, they are never chosen,
# except where a preset entity forces them (the only valid action there).
BLOCKED_BIAS = -1e4


def ner_components(nlp: Language) -> list[str]:
    """The names of the pipeline's entity recognizers (stock ``ner`` factory), in pipeline order."""
    return [name for name in nlp.pipe_names if nlp.get_pipe_meta(name).factory == "ner"]


def beside_component_name(new_labels: Iterable[str]) -> str:
    """The component that learns ``new_labels``: ``ner_gadget`` for GADGET."""
    slug = re.sub(r"[^a-z0-9]+", "_", "_".join(sorted(new_labels)).lower()).strip("_")
    return COMPONENT_PREFIX + (slug[:MAX_NAME_CHARS] or "new")


def learns_beside(base: Language, trained: frozenset[str], *, ner_has_own_tok2vec: bool) -> bool:
    """Whether an update teaching ``trained`` learns them beside the frozen base NER.

    Only when every trained label is new to the base's ``ner`` (an update that also annotates
    old labels corrects them, so the base NER itself must train), and the NER has its own
    tok2vec (a NER listening to a shared tok2vec or transformer has no weights of its own to
    start a copy from).
    """
    return bool(trained) and not trained & base_ner_labels(base) and ner_has_own_tok2vec


def base_ner_labels(nlp: Language) -> frozenset[str]:
    """The labels the ``ner`` component itself predicts: not those an earlier update put beside it.

    (The base's NER holds those too, blocked: :func:`block_labels`.)
    """
    beside = {
        label
        for name in ner_components(nlp)
        if name != "ner"
        for label in nlp.get_pipe(name).labels  # type: ignore[attr-defined]
    }
    return frozenset(nlp.get_pipe("ner").labels) - beside  # type: ignore[attr-defined]


def only_labels(task: Task, labels: frozenset[str]) -> Task:
    """The task with its spans of other labels removed (what the new component is taught)."""
    return task.with_spans(tuple(span for span in task.spans if span.label in labels))


def as_negatives(tasks: Iterable[Task], labels: frozenset[str]) -> tuple[Task, ...]:
    """Rehearsal tasks as negatives for the new component: complete, only new-label spans kept."""
    return tuple(only_labels(task, labels) for task in tasks)


def component_config(base: Language) -> dict[str, Any]:
    """A new ``ner`` component shaped as the base's NER, its output layer sized by its own labels."""
    section = copy.deepcopy(dict(base.config["components"]["ner"]))
    section.pop("source", None)
    section.pop("replace_listeners", None)
    section["model"] = {**section["model"], "nO": None}
    section["incorrect_spans_key"] = INCORRECT_SPANS_KEY
    return section


def place_before_ner(pipeline: list[str], component: str) -> list[str]:
    """The pipeline order with ``component`` right before the first NER named ``ner``."""
    names = [name for name in pipeline if name != component]
    index = names.index("ner") if "ner" in names else len(names)
    return [*names[:index], component, *names[index:]]


def create_warm_start_beside(
    source: str = "ner", component: str = "ner_new"
) -> Callable[[Language], Language]:
    """After initializing: copy ``source``'s tok2vec and hidden layer into ``component``.

    Both are components of the pipeline being trained (the frozen base NER is ``source``), so
    nothing is loaded again.
    """

    def warm_start(nlp: Language) -> Language:
        theirs = nlp.get_pipe(source).model  # type: ignore[attr-defined]
        ours = nlp.get_pipe(component).model  # type: ignore[attr-defined]
        for layer in SHARED_LAYERS:
            try:
                ours.get_ref(layer).from_bytes(theirs.get_ref(layer).to_bytes())
            except ValueError as err:
                raise TrainingError("E206", source=source, detail=str(err)[:200]) from None
        block_labels(nlp.get_pipe(source), nlp.get_pipe(component).labels)  # type: ignore[attr-defined]
        return nlp

    return warm_start


def block_labels(ner: Any, labels: Iterable[str]) -> None:
    """Give a frozen NER actions for ``labels`` that it never chooses on its own (:data:`BLOCKED_BIAS`)."""
    before = ner.moves.n_moves
    for label in labels:
        ner.add_label(label)
    if ner.moves.n_moves == before:
        return
    upper = ner.model.get_ref("upper")
    bias = upper.get_param("b").copy()
    bias[before:] = BLOCKED_BIAS
    upper.set_param("b", bias)
