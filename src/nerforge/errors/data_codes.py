"""The catalogue's E0xx codes: reading and writing data files, big corpora, CoNLL-U."""

from __future__ import annotations


class DataMessages:
    """Data messages, keyed by code; :class:`~nerforge.errors.catalogue.Errors` joins the parts."""

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
