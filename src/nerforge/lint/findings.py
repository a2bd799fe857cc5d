"""What lint reports: :class:`Finding`, and the catalogue of finding codes.

Codes by concern: L0xx reading, L1xx alignment with tokens, L2xx labelling
consistency, L3xx the base model's view, L4xx amounts, L5xx the label scheme,
L6xx data hygiene, L7xx text categories. Each code has one severity and a template that says what is
wrong and how to fix it; the comment above each says why it matters.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, NamedTuple

Severity = Literal["error", "warning", "info"]
# Errors first: the order findings are shown and counted in.
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")
LINES_SHOWN = 5  # lines listed per side of a finding; the rest are counted, not listed


class Rule(NamedTuple):
    """A finding code's severity and message template (filled with ``str.format``)."""

    severity: Severity
    template: str


CATALOGUE: dict[str, Rule] = {
    # -- L0xx reading ------------------------------------------------------------------
    # A record that can't be read can't be trained on either. JSONL and raw text are read
    # on past it; the strict readers (CoNLL, DocBin, a JSON array) stop there ({outcome} says which).
    "L001": Rule("error", "{problem} {outcome} Fix the record (or delete it) and run lint again."),
    # Past the first rejected records, one count stands for the rest (the reject file has them all).
    "L003": Rule(
        "error",
        "{n_more:,} more record(s) could not be read and were left out (the first {n_shown} are listed "
        "as L001). Write them all, each with its line and reason, with --rejects PATH.",
    ),
    # How each answer was read decides what it teaches; say so, so a wrong guess is seen.
    "L002": Rule(
        "info",
        "Read {n_tasks} answers: {parts}. Binary answers (Prodigy's ner.teach, or spans with a score) "
        "are read as incomplete. Use --answer-kind manual or binary if that reading is wrong.",
    ),
    # -- L1xx alignment ----------------------------------------------------------------
    # spaCy trains on tokens: a span that cuts a token can't become an entity at all.
    "L101": Rule(
        "error",
        "Span {span} {label} {text!r} does not fall on token boundaries of the {tokenizer} "
        "tokenizer, so training can't use it. Nearest fixes: contract to {contract}, or "
        "expand to {expand}.",
    ),
    # Edge whitespace puts the span off its tokens, and spaCy rejects whitespace entities.
    "L102": Rule(
        "error",
        "Span {span} {label} {text!r} starts or ends with whitespace. {fix}",
    ),
    # A token holds one entity label: of two overlapping spans only one can be learned.
    "L103": Rule(
        "error",
        "Spans {first} and {second} overlap. Keep the one you mean and delete the other.",
    ),
    # A span categorizer's spans (a task with "spans_key") may overlap: say how they are kept.
    "L104": Rule(
        "info",
        "{n_tasks} task(s) keep overlapping spans under their spans_key ({keys}; the first: {example}). "
        "A span categorizer learns them (nerforge train trains spancat for such data); an entity "
        "recognizer can't. Use --component spancat or auto with them, not ner.",
    ),
    # Many spans cut the same way: one tokenizer rule fixes them all, where relabelling can't.
    "L110": Rule(
        "warning",
        "{n_spans} span(s) start or end inside a token where {where} (e.g. {sample}; {lines}): the "
        "{tokenizer} tokenizer keeps together what the labels split, so training can't use them. Fix them "
        "with a tokenizer rule or new offsets: {advice}",
    ),
    # -- L2xx consistency --------------------------------------------------------------
    # The same string marked in one text and not in another teaches the model both answers.
    # A rejected span over it is a reviewer's explicit decision, not an omission: not counted.
    "L201": Rule(
        "warning",
        "{surface!r} is labelled {label} {n_labelled} time(s) ({labelled_lines}) but left "
        "unlabelled {n_unlabelled} time(s) in complete tasks ({unlabelled_lines}): the model "
        "learns that it is and is not {label}. Label it everywhere it means {label}.",
    ),
    # Different labels for one string: the model must guess, unless context tells them apart.
    "L202": Rule(
        "warning",
        "{surface!r} is labelled {label_counts} ({label_lines}). Pick one label for it, unless "
        "the context really makes it a different thing.",
    ),
    # One labelled and one unlabelled occurrence: as likely a homograph as a miss.
    "L203": Rule(
        "info",
        "{n} string(s) are labelled once and left unlabelled once in complete tasks, such as {sample}. "
        "Look them over: label the ones that were missed; homographs (a name that is also a word) "
        "can stay as they are.",
    ),
    # One span both accepted and rejected: the task says it is and is not an entity.
    "L204": Rule(
        "error",
        "Span {span} {label} {text!r} is both accepted and rejected in this task: it teaches that "
        "the text is and is not {label}. Keep the answer you mean and delete the other copy of the span.",
    ),
    # -- L3xx base model ---------------------------------------------------------------
    # Updating a pipeline on texts where its entities are unmarked teaches it to drop them.
    "L301": Rule(
        "warning",
        "The base model finds {n} {label} entit(ies) in complete tasks that your data leaves "
        "unlabelled (e.g. {sample}). Updating {base} on this data teaches it that these are "
        "not {label}: it will unlearn {label}. Label them too (`nerforge bootstrap --base` "
        "adds them), or train a new model instead of updating this one.{hint}",
    ),
    # A label of the scheme that the base model finds where no span is: likely missed.
    "L302": Rule(
        "warning",
        "The base model finds {n} {label} entit(ies) in complete tasks that no span covers "
        "(e.g. {sample}). If they are {label}, they were missed: label them, or the model "
        "learns that they are not.",
    ),
    # A base without an NER (e.g. from `nerforge tokenizer add`) still gives the tokenizer spans must
    # fit; say what was not checked, so silence about its entities is not read as a clean bill.
    "L303": Rule(
        "info",
        "{base} has no entity recognizer: spans were checked against its tokenizer, and the checks "
        "of the base model's entities (L301, L302) were skipped. Use a --base with an 'ner' to run them too.",
    ),
    # -- L4xx amounts ------------------------------------------------------------------
    # Below this a new label rarely learns anything useful.
    "L401": Rule(
        "error",
        "Label {label} has only {n} example(s){assumption}. A new label needs at least {minimum} "
        "to learn at all, and a few thousand to work well. Annotate more (`nerforge bootstrap` "
        "finds candidates).",
    ),
    # The course's guidance for a new label: a few thousand examples.
    "L402": Rule(
        "warning",
        "Label {label} has {n} examples{assumption}. A new label usually needs a few thousand; "
        "below {advised} expect low recall. Annotate more if its scores disappoint.",
    ),
    # The course's guidance for updating a label the model knows: a few hundred examples.
    "L403": Rule(
        "warning",
        "Label {label} has {n} example(s); updating a label the model already knows needs a few "
        "hundred (at least {advised}). Annotate more, or leave this label to the base model.",
    ),
    # No labelled span at all: there is nothing to learn.
    "L404": Rule(
        "error",
        "No task has an accepted span: there is nothing to learn. Annotate entities, or bootstrap "
        "them from patterns with `nerforge bootstrap`.",
    ),
    # A model that never sees a text without entities learns that every text has some.
    "L405": Rule(
        "error",
        "None of the {n_complete} complete tasks is a text without entities: the model never "
        "sees a negative and will find entities everywhere. Add complete tasks with no spans "
        "(texts that mention none).",
    ),
    # Few negatives skew the model towards predicting entities.
    "L406": Rule(
        "warning",
        "Only {n_negative} of {n_complete} complete tasks ({share}) have no entities. Add texts "
        "without entities, to at least {advised} of the data.",
    ),
    # --new-labels naming a label the data lacks is usually a typo.
    "L407": Rule(
        "warning",
        "--new-labels names {label}, but no span in the data has that label. Check the spelling "
        "(labels are case-sensitive).",
    ),
    # -- L5xx label scheme -------------------------------------------------------------
    # Labels are case-sensitive: DRUG, Drug and drug train three labels that split one's examples.
    "L507": Rule(
        "error",
        "Labels {labels} differ only in case, so they train as {n} separate labels. Use one spelling "
        "({suggestion}): rename the others in the data.",
    ),
    # Too-specific labels split one thing by what local context can't show.
    "L501": Rule(
        "warning",
        "Labels {labels} share {part!r}: they look too specific for the model to tell apart "
        "from local context. Label the generic {suggestion} and tell the kinds apart afterwards "
        "with rules or a text classifier.",
    ),
    # Many tiny labels: each is too rare to learn, and together they dilute the rest.
    "L502": Rule(
        "warning",
        "{n_sparse} labels have fewer than {few} examples each ({labels}). Merge them into fewer, "
        "broader labels, or drop the ones you can't annotate more of.",
    ),
    # A judgement is not in the text: annotators disagree and the model can't see it.
    "L503": Rule(
        "warning",
        "Label {label} sounds subjective ({words}): whether something is {label} is a judgement, "
        "not something the text shows. Label the generic type (e.g. {suggestion}) and apply "
        "your judgement afterwards with a rule or a list.",
    ),
    # Labels sharing many strings are not clearly defined against each other.
    "L504": Rule(
        "warning",
        "Labels {first} and {second} are both given to {n} of the same strings (e.g. {sample}): "
        "their definitions overlap. Write down which is which, relabel, or merge them.",
    ),
    # A label the model never trains on scores zero on dev, however good the model is.
    "L505": Rule(
        "error",
        "Label {label} occurs {n} time(s) in the dev data but never in the training data: the "
        "model can't learn it. Add training examples, or fix the label's spelling.",
    ),
    # A label the dev data lacks can't be measured.
    "L506": Rule(
        "warning",
        "Label {label} occurs {n} time(s) in the training data but never in the dev data, so its "
        "accuracy can't be measured. Add dev examples of it.",
    ),
    # -- L7xx text categories -------------------------------------------------------
    # A class seen in a handful of texts can't be learned; the model just never predicts it.
    "L701": Rule(
        "warning",
        "Class {label} applies to only {n} text(s); a class needs at least {minimum} examples. "
        "Add texts of it, or merge it into a broader class.",
    ),
    # A classifier trained on skewed classes predicts the common one and looks accurate doing it.
    "L702": Rule(
        "warning",
        "The classes are unbalanced ({counts}; {ratio}x from commonest to rarest). Add texts of "
        "the rare classes, or judge the model by macro F rather than accuracy.",
    ),
    # A dev class the model never trained on scores zero.
    "L703": Rule(
        "error",
        "Class {label} occurs {n} time(s) in the dev data but never in the training data. Add "
        "training texts of it, or remove it from the dev data.",
    ),
    # The same text taught both ways: the model learns neither.
    "L704": Rule(
        "error",
        "This text says class {label} applies and does not, unlike its copy on line {first}. "
        "Decide which is right and keep one copy.",
    ),
    # -- L6xx hygiene ------------------------------------------------------------------
    # One text, two answers: the model is taught both, and the scores count one as wrong.
    "L601": Rule(
        "error",
        "The same text is annotated differently on {lines}: {differences}. Decide which is right "
        "and keep one copy.",
    ),
    # Duplicates weigh double and, split across train/dev, inflate scores.
    "L602": Rule(
        "info",
        "{n} text(s) occur more than once with the same annotations (e.g. {sample}). "
        "Deduplicate unless you mean to weigh them more.",
    ),
    # The model has seen dev texts in training: dev scores overstate its accuracy.
    "L603": Rule(
        "error",
        "{n} dev text(s) also occur in the training data (e.g. {sample}). Remove them from one "
        "of the two files, or dev scores will overstate accuracy.",
    ),
    # Near-copies (retweets, reposts) leak almost as much as exact ones.
    "L604": Rule(
        "warning",
        "{n} dev text(s) nearly repeat a training text (same words once case, punctuation, URLs "
        "and @handles are ignored; e.g. {sample}). Move or drop them so dev stays unseen.",
    ),
    # Incomplete tasks teach what is an entity, never what is not.
    "L605": Rule(
        "info",
        '{n_incomplete} of {n_tasks} tasks are incomplete ("complete": false): their unmarked '
        "tokens are missing, not outside, so they teach what is an entity but not what is not. "
        "Mark reviewed tasks complete when every entity in them is labelled.",
    ),
    # All incomplete: the model never learns where entities are absent.
    "L606": Rule(
        "warning",
        'All {n_tasks} tasks are incomplete ("complete": false): the model never learns what is '
        "not an entity, and will over-predict. Review them and mark them complete, or bootstrap "
        "with --base so every entity is labelled.",
    ),
    # Long texts are slow to train and predict; spaCy's memory grows with length.
    "L607": Rule(
        "warning",
        "The text has {n_chars:,} characters, more than {limit:,}: training will be slow and "
        "memory-hungry. Split it into paragraphs or sentences (keeping the spans).",
    ),
    # An empty text teaches nothing; usually an export bug.
    "L608": Rule(
        "warning",
        "The text is empty or only whitespace: it teaches nothing. Delete the record.",
    ),
    # Several annotators' answers to one text, not yet settled: training takes every one of them.
    "L609": Rule(
        "warning",
        "{n_texts} text(s) hold answers from more than one annotator ({annotators}; e.g. {sample}) and "
        "no adjudicated version. `nerforge train` trains on every complete answer as an example of its "
        "own: each such text is taught once per annotator and, where they differ, every version. Partial "
        "answers (teach's yes or no on one span) are merged per text instead, and a span two annotators "
        "answered takes the answer given last. Check where they "
        "differ with `nerforge db agreement {dataset}`, then adjudicate into one answer per text "
        "(`nerforge review {dataset} --into GOLD`) or deduplicate (keep one answer per text).",
    ),
}


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem lint found, with where it is and how to fix it.

    Attributes:
        code: The catalogue code, e.g. ``"L101"``.
        severity: ``"error"`` (fix before training), ``"warning"`` or ``"info"``.
        message: What is wrong and what to do about it.
        path: The file the problem is in.
        line: The line (or the DocBin doc) it is on; None for whole-file findings.
        unit: What ``line`` counts: ``"line"``, or ``"doc"`` for DocBin files.
        examples: Short examples, each naming its line.
        details: The facts behind the message, for machine readers (counts, labels).
    """

    code: str
    severity: Severity
    message: str
    path: str
    line: int | None = None
    unit: str = "line"
    examples: tuple[str, ...] = ()
    details: Mapping[str, Any] = field(default_factory=dict)

    @property
    def location(self) -> str:
        """``path, line N``, or the path alone for whole-file findings."""
        return self.path if self.line is None else f"{self.path}, {self.unit} {self.line}"

    def to_dict(self) -> dict[str, Any]:
        """The finding as a JSON-ready object."""
        return {
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "path": self.path,
            "line": self.line,
            "unit": self.unit,
            "examples": list(self.examples),
            "details": dict(self.details),
        }


def make_finding(
    code: str,
    path: str,
    line: int | None = None,
    *,
    unit: str = "line",
    examples: Sequence[str] = (),
    **fields: Any,
) -> Finding:
    """A finding of a catalogue code, its message filled in from ``fields``.

    The fields are kept as the finding's ``details``, so they should be JSON values.
    """
    rule = CATALOGUE[code]
    message = rule.template.format(**fields)
    return Finding(code, rule.severity, message, path, line, unit, tuple(examples), fields)


def describe_lines(lines: Iterable[int | None], n_total: int, unit: str = "line") -> str:
    """``"lines 3, 8 and 12 more"``: the first few lines and how many were left out."""
    shown = [str(line) for line in lines if line is not None][:LINES_SHOWN]
    if not shown:
        return "no line numbers"
    words = f"{unit}s" if n_total > 1 else unit
    rest = n_total - len(shown)
    return f"{words} {', '.join(shown)}" + (f" and {rest} more" if rest > 0 else "")
