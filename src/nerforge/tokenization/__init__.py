"""Tokenizer rules: special cases, prefixes, suffixes and infixes that travel inside a pipeline.

``load_rules(path)`` reads a RULES.jsonl file (every bad line reported at once),
``apply_rules(nlp, rules)`` adds them to a pipeline's tokenizer, and
``add_tokenizer_rules(rules, base=..., output=...)`` saves a pipeline with them, so that
``spacy.load`` keeps them. ``nerforge lint`` proposes rules for spans the tokenizer cuts
(``nerforge.lint.checks.tokenization``).
"""

from .pipeline import (
    TokenizerChanges,
    TokenizerUpdate,
    add_to_tokenizer,
    add_tokenizer_rules,
    apply_rules,
    copy_tokenizer,
    load_base,
    save_pipeline,
)
from .rules import RULE_KINDS, TokenizerRule, as_rules, load_rules, rule_from_dict, write_rules

__all__ = [
    "RULE_KINDS",
    "TokenizerChanges",
    "TokenizerRule",
    "TokenizerUpdate",
    "add_to_tokenizer",
    "add_tokenizer_rules",
    "apply_rules",
    "as_rules",
    "copy_tokenizer",
    "load_base",
    "load_rules",
    "rule_from_dict",
    "save_pipeline",
    "write_rules",
]
