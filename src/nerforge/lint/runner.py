"""Running every check over a data file (and its dev file), and the report they make."""

from __future__ import annotations

import contextlib
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import spacy
from spacy.language import Language

from ..errors import ParameterError
from ..io.files import write_json_report
from ..io.streaming import RejectLog
from ..pipelines import load_pipeline, source_name
from ..records import Task
from ..task_json import AnswerKind
from ..tokenization import apply_rules, load_rules
from .checks import alignment, amounts, base_model, categories, consistency, hygiene, scheme, tokenization
from .corpus import Corpus, collect, read_corpus, rejection_findings
from .findings import SEVERITIES, Finding, Severity, make_finding

DEFAULT_BATCH_SIZE = 1000  # texts per tokenizer/model batch: amortises the call, bounds memory


@dataclass(frozen=True, slots=True)
class CorpusSummary:
    """What was read of one file: tasks, complete tasks, spans per label, and records left out.

    ``n_tasks + n_rejected`` is the number of records in the file (blank lines are none).
    """

    path: str
    n_tasks: int
    n_complete: int
    label_counts: Mapping[str, int] = field(default_factory=dict)
    n_rejected: int = 0

    @classmethod
    def of(cls, corpus: Corpus) -> CorpusSummary:
        """The summary of what lint read of ``corpus``."""
        n_complete = sum(record.complete for record in corpus.records)
        labels = dict(corpus.label_counts.most_common())
        return cls(corpus.path, corpus.n_tasks, n_complete, labels, corpus.n_rejected)


@dataclass(frozen=True, slots=True)
class LintReport:
    """The findings of a lint run, errors first, and what they add up to.

    Attributes:
        findings: Every finding, ordered by severity, then code; within a code, in the
            order its check gives (file order, or most frequent first).
        corpora: What was read: the data file, then the dev file if one was given.
        tokenizer_rules: The tokenizer rules (RULES format) that would align the spans
            L110 found cutting tokens; ``fix_tokenizer`` writes them.
    """

    findings: tuple[Finding, ...]
    corpora: tuple[CorpusSummary, ...] = ()
    tokenizer_rules: tuple[dict[str, Any], ...] = ()

    @property
    def counts(self) -> dict[Severity, int]:
        """Findings per severity, every severity present (0 when none)."""
        counts = dict.fromkeys(SEVERITIES, 0)
        for finding in self.findings:
            counts[finding.severity] += 1
        return counts

    @property
    def has_errors(self) -> bool:
        """Whether any finding is an error."""
        return any(finding.severity == "error" for finding in self.findings)

    @property
    def verdict(self) -> str:
        """One or two sentences a newcomer can act on, e.g. "2 errors: fix them before training."."""
        counts = self.counts
        n_errors, n_warnings, n_infos = counts["error"], counts["warning"], counts["info"]
        if n_errors:
            them = "them" if n_errors > 1 else "it"
            sentences = [f"{_count(n_errors, 'error')}: fix {them} before training."]
        elif n_warnings:
            sentences = ["No errors: the data can be trained on."]
        else:
            sentences = ["No errors or warnings: the data is ready to train on."]
        if n_warnings:
            sentences.append(f"{_count(n_warnings, 'warning')} worth a look.")
        if n_infos:
            sentences.append(f"{_count(n_infos, 'note')} for information.")
        return " ".join(sentences)

    def with_severity(self, severity: Severity) -> list[Finding]:
        """The findings of one severity, in report order."""
        return [finding for finding in self.findings if finding.severity == severity]

    def to_dict(self) -> dict[str, Any]:
        """``{"findings": [...], "counts": {...}, "verdict": ..., "summary": [...]}``, JSON-ready."""
        return {
            "findings": [finding.to_dict() for finding in self.findings],
            "counts": self.counts,
            "verdict": self.verdict,
            "summary": [
                {
                    "path": corpus.path,
                    "n_tasks": corpus.n_tasks,
                    "n_complete": corpus.n_complete,
                    "label_counts": dict(corpus.label_counts),
                    "n_rejected": corpus.n_rejected,
                }
                for corpus in self.corpora
            ],
        }


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'s' if n != 1 else ''}"


def write_report(report: LintReport, path: str | Path) -> None:
    """Write the report as JSON, atomically ('-' for standard output)."""
    write_json_report(report.to_dict(), path)


class _Tools(NamedTuple):
    """The pipelines the checks use: a tokenizer always, a base model with ``--base`` (if it has an NER)."""

    nlp: Language
    tokenizer_name: str
    base: Language | None
    base_name: str
    batch_size: int
    tokenizer_only: bool = False  # a --base without an NER: its tokenizer alone is used

    @property
    def base_source(self) -> str | None:
        """The ``source`` that ``bootstrap --base`` gives the base model's spans."""
        if self.base is None:
            return None
        return source_name(self.base)


def lint(
    tasks_path: str | Path,
    *,
    dev: str | Path | None = None,
    base: str | Path | None = None,
    new_labels: Collection[str] | None = None,
    lang: str = "en",
    batch_size: int = DEFAULT_BATCH_SIZE,
    answer_kind: AnswerKind = "auto",
    fix_tokenizer: str | Path | None = None,
    rejects: str | Path | None = None,
    tokenizer_rules: str | Path | None = None,
) -> LintReport:
    """Check a data file for the mistakes that silently ruin an NER model.

    Each file is streamed once, in any format ``nerforge.io.read_tasks`` takes (``.gz``
    looked through), into a spool on disk: memory stays flat in the file's size. A
    record that can't be read (bad JSON, an invalid span, a text over
    ``nerforge.io.streaming.MAX_TEXT_CHARS``) becomes an L001 finding naming its line,
    and reading goes on (the first 20 are listed, L003 counts the rest). The strict
    readers of CoNLL, DocBin and JSON arrays can't go on: their first error ends that
    file's reading.

    Args:
        tasks_path: The training data ('-' for stdin).
        dev: Development data, checked too and compared with the training data.
        base: A pretrained pipeline (package or path) the data would update: its NER
            finds entities the data leaves unlabelled, tells which labels are new, and
            its tokenizer is the one spans must align with.
        new_labels: The labels that are new to the model; by default those the base
            model doesn't know, or, without a base, all of them.
        lang: Language of the blank tokenizer when there is no base.
        batch_size: Texts per tokenizer or model batch.
        answer_kind: How accepted answers without ``complete`` are read (``nerforge.io``).
        fix_tokenizer: Write the tokenizer rules L110 proposes here (RULES JSONL), if any.
        tokenizer_rules: A RULES.jsonl file whose rules the tokenizer gets first, as
            ``nerforge train --tokenizer-rules`` gives them to the trained pipeline.
        rejects: Write every record left out here (JSONL: file, line, reason, original
            line), if any was; by default none is written.

    Returns:
        The report; the library never prints it.

    Raises:
        DataError: If a file is unreadable as a whole (missing, unknown format).
        PipelineError: If ``base`` can't be loaded. A base without an NER gives the tokenizer
            and skips the checks of its entities (L303 says so).
        TokenizerRuleError: E146/E147 for an invalid or empty ``tokenizer_rules`` file.
        ParameterError: If ``lang`` or ``batch_size`` is invalid.
    """
    tools = _tools(base, lang, batch_size, tokenizer_rules)
    with RejectLog(rejects) as log, contextlib.ExitStack() as corpora:
        train = corpora.enter_context(read_corpus(tasks_path, answer_kind=answer_kind, on_reject=log))
        dev_corpus = None
        if dev is not None:
            dev_corpus = corpora.enter_context(read_corpus(dev, answer_kind=answer_kind, on_reject=log))
        return _report(train, dev_corpus, tools, new_labels, fix_tokenizer)


def lint_tasks(
    tasks: Iterable[Task],
    *,
    dev: Iterable[Task] | None = None,
    base: str | Path | None = None,
    new_labels: Collection[str] | None = None,
    lang: str = "en",
    batch_size: int = DEFAULT_BATCH_SIZE,
    fix_tokenizer: str | Path | None = None,
    tokenizer_rules: str | Path | None = None,
) -> LintReport:
    """:func:`lint` for tasks already in Python; findings name ``<tasks>`` and ``<dev>``."""
    tools = _tools(base, lang, batch_size, tokenizer_rules)
    with Corpus("<tasks>") as train, Corpus("<dev>") as dev_corpus:
        collect(tasks, train)
        if dev is not None:
            collect(dev, dev_corpus)
        return _report(train, dev_corpus if dev is not None else None, tools, new_labels, fix_tokenizer)


def _tools(
    base: str | Path | None, lang: str, batch_size: int, tokenizer_rules: str | Path | None = None
) -> _Tools:
    if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
        raise ParameterError(
            "E403", parameter="batch_size", owner="lint", expected="an int >= 1", value=batch_size
        )
    rules = None if tokenizer_rules is None else load_rules(tokenizer_rules)  # bad rules before a model loads
    tools = _base_tools(base, batch_size) if base is not None else _blank_tools(lang, batch_size)
    if rules is None:
        return tools
    apply_rules(tools.nlp, rules)  # the base's NER, if any, then reads the same tokens as training would
    return tools._replace(tokenizer_name=f"{tools.tokenizer_name} (with {tokenizer_rules})")


def _base_tools(base: str | Path, batch_size: int) -> _Tools:
    nlp = load_pipeline(base)
    if "ner" not in nlp.pipe_names:  # e.g. a pipeline `nerforge tokenizer add` saved: a tokenizer
        return _Tools(nlp, f"{str(base)!r}", None, str(base), batch_size, tokenizer_only=True)
    return _Tools(nlp, f"{str(base)!r}", nlp, str(base), batch_size)


def _blank_tools(lang: str, batch_size: int) -> _Tools:
    try:
        blank = spacy.blank(lang)
    except ImportError:
        expected = "a language code spaCy knows, e.g. 'en'"
        raise ParameterError("E403", parameter="lang", owner="lint", expected=expected, value=lang) from None
    return _Tools(blank, f"spaCy {lang!r}", None, "", batch_size)


def _report(
    train: Corpus,
    dev: Corpus | None,
    tools: _Tools,
    new_labels: Collection[str] | None,
    fix_tokenizer: str | Path | None = None,
) -> LintReport:
    merges = [
        merge
        for merge in tokenization.find_merges(train, tools.nlp, batch_size=tools.batch_size)
        if merge.n_spans >= tokenization.MIN_SPANS_FOR_RULE
    ]
    rules = tuple(tokenization.rules_of(merges))
    if fix_tokenizer is not None and rules:  # nothing to write is said by the report, not an empty file
        tokenization.write_rules(rules, fix_tokenizer)
    findings = [tokenization.merge_finding(merge, train, tools.tokenizer_name) for merge in merges]
    findings += _train_findings(train, tools, new_labels)
    if dev is not None:
        findings += _record_findings(dev, tools)
        findings += scheme.check_dev_labels(train, dev)
        findings += categories.check_dev_classes(train, dev)
        findings += hygiene.check_leakage(train, dev)
    if tools.base is not None:
        findings += base_model.check_base_entities(
            train, tools.base, base_name=tools.base_name, batch_size=tools.batch_size
        )
    if tools.tokenizer_only:
        findings.append(make_finding("L303", train.path, unit=train.unit, base=repr(tools.base_name)))
    rank = {severity: index for index, severity in enumerate(SEVERITIES)}
    findings.sort(key=lambda finding: (rank[finding.severity], finding.code))  # stable: keeps check order
    corpora = (train,) if dev is None else (train, dev)
    return LintReport(tuple(findings), tuple(CorpusSummary.of(corpus) for corpus in corpora), rules)


def _record_findings(corpus: Corpus, tools: _Tools) -> Iterator[Finding]:
    """Checks of each record on its own: they apply to dev data as much as to training data."""
    yield from rejection_findings(corpus)
    if corpus.read_error is not None:
        yield corpus.read_error
    yield from alignment.check_edge_whitespace(corpus)
    yield from alignment.check_token_boundaries(
        corpus, tools.nlp, tokenizer_name=tools.tokenizer_name, batch_size=tools.batch_size
    )
    yield from alignment.check_overlaps(corpus)
    yield from consistency.check_accepted_and_rejected(corpus)
    yield from hygiene.check_text_lengths(corpus)
    yield from hygiene.check_duplicates(corpus)


def _train_findings(train: Corpus, tools: _Tools, new_labels: Collection[str] | None) -> Iterator[Finding]:
    """Every check of the training data on its own."""
    yield from _record_findings(train, tools)
    labelled = consistency.collect_labelled_strings(train)
    yield from consistency.check_unlabelled_mentions(train, tools.nlp, labelled, batch_size=tools.batch_size)
    yield from consistency.check_conflicting_labels(train, labelled)
    known = base_model.base_labels(tools.base) if tools.base is not None else None
    yield from amounts.check_spans_exist(train)
    yield from amounts.check_label_amounts(
        train, new_labels=new_labels, known_labels=known, base_source=tools.base_source
    )
    if new_labels is not None:
        yield from amounts.check_new_label_names(train, new_labels)
    yield from amounts.check_negatives(train)
    yield from scheme.check_label_case(train)
    base_scheme = known or frozenset()  # the base's labels: its scheme, not the data's to fix
    yield from scheme.check_specific_labels(train, skip=base_scheme)
    yield from scheme.check_subjective_labels(train)
    yield from scheme.check_sparse_labels(train, skip=base_scheme)
    yield from scheme.check_overlapping_labels(train, labelled, skip=base_scheme)
    yield from hygiene.check_completeness(train)
    yield from hygiene.check_unadjudicated(train)
    yield from hygiene.summarize_answers(train)
    yield from categories.check_class_balance(train)
    yield from categories.check_conflicting_cats(train)
