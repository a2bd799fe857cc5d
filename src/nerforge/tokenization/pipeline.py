"""Applying tokenizer rules to a pipeline, and saving the pipeline with them.

The rules live in the tokenizer itself (its special cases and its prefix, suffix and infix
expressions), which ``nlp.to_disk`` serialises, so ``spacy.load`` of the saved folder keeps
them without nerforge installed. Rules only change where tokens begin and end: a Doc's text
is the text it was given, with or without them.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex

from ..errors import PipelineError
from ..io.files import current_umask
from ..pipelines import load_pipeline
from .rules import AFFIX_KINDS, RuleKind, TokenizerRule, as_rules, load_rules

BLANK_PREFIX = "blank:"  # --base blank:en starts from spaCy's blank pipeline for a language
# the tokenizer attribute each affix kind sets, and how spaCy builds its expression from a list
_AFFIX_ATTRIBUTES: dict[RuleKind, str] = {
    "prefix": "prefix_search",
    "suffix": "suffix_search",
    "infix": "infix_finditer",
}
_COMPILERS: dict[RuleKind, Callable[[Sequence[str]], re.Pattern[str]]] = {
    "prefix": compile_prefix_regex,
    "suffix": compile_suffix_regex,
    "infix": compile_infix_regex,
}


@dataclass(frozen=True, slots=True)
class TokenizerChanges:
    """What applying rules did to a tokenizer.

    Attributes:
        added: The rules that changed the tokenizer, in file order (special cases first).
        present: The rules it already had, left as they were.
    """

    added: tuple[TokenizerRule, ...]
    present: tuple[TokenizerRule, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The rules added and those already present, as a JSON-ready dict."""
        return {
            "added": [rule.to_dict() for rule in self.added],
            "present": [rule.to_dict() for rule in self.present],
        }


@dataclass(frozen=True, slots=True)
class TokenizerUpdate:
    """A pipeline saved with tokenizer rules: where from, where to, and what changed."""

    base: str
    output: str
    changes: TokenizerChanges

    def to_dict(self) -> dict[str, Any]:
        """Base, output and the changes, as a JSON-ready dict."""
        return {"base": self.base, "output": self.output, **self.changes.to_dict()}


def apply_rules(nlp: Language, rules: Iterable[TokenizerRule | Mapping[str, Any]]) -> TokenizerChanges:
    """Add rules to ``nlp``'s tokenizer, in place.

    Special cases go in with ``tokenizer.add_special_case`` (``ORTH`` pieces). New
    prefixes, suffixes and infixes are put in front of the tokenizer's own expressions
    (so they win where both match at one place), compiled as spaCy's
    ``compile_prefix_regex`` and its kin compile theirs. Rules the tokenizer already
    has are left alone.

    Raises:
        TokenizerRuleError: E146 if a rule given as a dict is invalid.
        PipelineError: E151 if the pipeline's tokenizer is not spaCy's rule-based one.
    """
    return add_to_tokenizer(nlp.tokenizer, rules)


def add_to_tokenizer(tokenizer: Any, rules: Iterable[TokenizerRule | Mapping[str, Any]]) -> TokenizerChanges:
    """:func:`apply_rules` on a tokenizer itself (spaCy's ``Tokenizer``), e.g. a copy of a pipeline's.

    Raises:
        TokenizerRuleError: E146 if a rule given as a dict is invalid.
        PipelineError: E151 if the tokenizer is not spaCy's rule-based one.
    """
    checked = as_rules(rules)
    if not isinstance(tokenizer, Tokenizer):
        raise PipelineError("E151", kind=f"{type(tokenizer).__module__}.{type(tokenizer).__name__}")
    added: list[TokenizerRule] = []
    present: list[TokenizerRule] = []
    for rule in checked:
        if rule.kind != "special_case":
            continue
        if _has_special_case(tokenizer, rule):
            present.append(rule)
        else:
            tokenizer.add_special_case(rule.value, [{"ORTH": piece} for piece in rule.pieces])
            added.append(rule)
    for kind in AFFIX_KINDS:
        of_kind = [rule for rule in checked if rule.kind == kind]
        fresh = [rule for rule in of_kind if not _has_affix(tokenizer, kind, rule.value)]
        present += [rule for rule in of_kind if rule not in fresh]
        if fresh:
            _extend_affixes(tokenizer, kind, [rule.value for rule in fresh])
            added += fresh
    return TokenizerChanges(tuple(added), tuple(present))


def copy_tokenizer(nlp: Language) -> Tokenizer | None:
    """A copy of the pipeline's tokenizer to try rules on; None for tokenizers that are not spaCy's own."""
    if not isinstance(nlp.tokenizer, Tokenizer):
        return None
    copy = Tokenizer(nlp.vocab)
    copy.from_bytes(nlp.tokenizer.to_bytes())
    return copy


def _has_special_case(tokenizer: Any, rule: TokenizerRule) -> bool:
    if rule.value not in tokenizer.rules:
        return False
    return [token.text for token in tokenizer(rule.value)] == list(rule.pieces)


def _affix_pattern(tokenizer: Any, kind: RuleKind) -> str | None:
    """The tokenizer's current expression for an affix kind, None when it has none."""
    method = getattr(tokenizer, _AFFIX_ATTRIBUTES[kind])
    pattern = getattr(getattr(method, "__self__", None), "pattern", None)
    return pattern if isinstance(pattern, str) and pattern else None


def _has_affix(tokenizer: Any, kind: RuleKind, value: str) -> bool:
    pattern = _affix_pattern(tokenizer, kind)
    if pattern is None:
        return False
    fragment = _COMPILERS[kind]([value]).pattern
    return fragment in pattern.split("|")  # spaCy joins one alternative per entry with '|'


def _extend_affixes(tokenizer: Any, kind: RuleKind, values: list[str]) -> None:
    old = _affix_pattern(tokenizer, kind)
    pattern = _COMPILERS[kind](values).pattern
    combined = re.compile(pattern if old is None else f"{pattern}|{old}")
    method = combined.finditer if kind == "infix" else combined.search
    setattr(tokenizer, _AFFIX_ATTRIBUTES[kind], method)  # the setter empties the tokenizer's cache


def load_base(base: str | Path) -> Language:
    """An installed pipeline, a pipeline folder, or ``blank:LANG`` for spaCy's blank pipeline.

    Raises:
        PipelineError: E149 for an unknown blank language; E401/E430 as
            :func:`nerforge.pipelines.load_pipeline` raises them.
    """
    name = str(base)
    if name.startswith(BLANK_PREFIX):
        lang = name[len(BLANK_PREFIX) :]
        try:
            return spacy.blank(lang)
        except ImportError:
            raise PipelineError("E149", base=name) from None
    return load_pipeline(name)


def add_tokenizer_rules(
    rules: str | Path | Iterable[TokenizerRule | Mapping[str, Any]],
    *,
    base: str | Path,
    output: str | Path,
    overwrite: bool = False,
) -> TokenizerUpdate:
    """Load a pipeline, add tokenizer rules to it, and save it to a new folder.

    Args:
        rules: A rules file (RULES.jsonl), or rules already in Python.
        base: An installed pipeline, a pipeline folder, or ``blank:LANG``.
        output: The folder to write; written beside itself first, then renamed, so a
            failure leaves no half-written pipeline.
        overwrite: Replace ``output`` if it exists and is not empty.

    Returns:
        What was loaded, where it went, and which rules changed the tokenizer.

    Raises:
        TokenizerRuleError: E146/E147 for invalid rules (every bad line listed).
        PipelineError: E148 if ``output`` exists (checked before any work), E149/E401 for
            an unknown base, E150 if the folder can't be written.
    """
    checked = load_rules(rules) if isinstance(rules, (str, Path)) else as_rules(rules)
    target = Path(output)
    check_output_folder(target, overwrite=overwrite)
    nlp = load_base(base)
    changes = apply_rules(nlp, checked)
    save_pipeline(nlp, target, overwrite=overwrite)
    return TokenizerUpdate(str(base), str(target), changes)


def check_output_folder(output: Path, *, overwrite: bool) -> None:
    """E148 when ``output`` exists (a file, or a folder with something in it) and may not be replaced."""
    if overwrite or not output.exists():
        return
    if output.is_dir() and not any(output.iterdir()):
        return
    raise PipelineError("E148", path=str(output))


def save_pipeline(nlp: Language, output: str | Path, *, overwrite: bool = False) -> None:
    """``nlp.to_disk`` into a temporary folder beside ``output``, then renamed onto it.

    Raises:
        PipelineError: E148 if ``output`` exists and ``overwrite`` is false; E150 if it
            can't be written.
    """
    target = Path(output)
    check_output_folder(target, overwrite=overwrite)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)  # -o models/tokenized, as train's -o does
        tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    except OSError as err:
        raise PipelineError("E150", path=str(target), detail=err.strerror or str(err)) from None
    try:
        nlp.to_disk(tmp)
        os.chmod(tmp, 0o777 & ~current_umask())  # mkdtemp's 0700 would hide the model from others
        _swap_in(tmp, target)
    except OSError as err:
        raise PipelineError("E150", path=str(target), detail=err.strerror or str(err)) from None
    finally:
        if tmp.exists():
            shutil.rmtree(tmp)


def _swap_in(new: Path, target: Path) -> None:
    """Rename ``new`` onto ``target``; an old ``target`` is moved aside first and removed after."""
    if not target.exists() or (target.is_dir() and not any(target.iterdir())):
        os.replace(new, target)  # an empty folder is replaced in one rename
        return
    aside = Path(tempfile.mkdtemp(prefix=f".{target.name}.old.", dir=target.parent))
    old = aside / target.name
    os.replace(target, old)
    os.replace(new, target)
    shutil.rmtree(aside)
