"""Every function nerforge registers with spaCy's registries, in one place.

The entry points in ``pyproject.toml`` name this module, so plain ``spacy train`` on an
exported config finds nerforge's readers, batchers, callbacks, architecture and optimizer
without ``--code``; nerforge's own runs import it through :mod:`.trainer`. The functions
themselves live with the logic they configure; this module only names them.
"""

from __future__ import annotations

from spacy.util import registry

from ..tokenization.callbacks import create_tokenizer_rules
from .anchoring import create_adam_toward_start
from .architectures import with_token_features
from .beside import create_warm_start_beside
from .binary import create_outside_sampler
from .readers import create_copy_lookups, create_copy_tokenizer, create_tasks_reader, create_warm_start
from .rehearsal import create_rehearsal_batcher, create_rehearsal_corpus, create_rehearsal_reader

REGISTERED = (  # (registry, name, function): what a config may name
    ("callbacks", "nerforge.WarmStartBeside.v1", create_warm_start_beside),
    ("batchers", "nerforge.OutsideSampler.v1", create_outside_sampler),
    ("architectures", "nerforge.WithTokenFeatures.v1", with_token_features),
    ("readers", "nerforge.Rehearsal.v1", create_rehearsal_reader),
    ("readers", "nerforge.Rehearsal.v2", create_rehearsal_corpus),
    ("batchers", "nerforge.RehearsalBatcher.v1", create_rehearsal_batcher),
    ("readers", "nerforge.Tasks.v1", create_tasks_reader),
    ("callbacks", "nerforge.CopyLookups.v1", create_copy_lookups),
    ("callbacks", "nerforge.CopyTokenizer.v1", create_copy_tokenizer),
    ("callbacks", "nerforge.WarmStartTok2Vec.v1", create_warm_start),
    ("optimizers", "nerforge.AdamTowardStart.v1", create_adam_toward_start),
    ("callbacks", "nerforge.TokenizerRules.v1", create_tokenizer_rules),
)

for kind, name, function in REGISTERED:
    getattr(registry, kind).register(name, func=function)

__all__ = [
    "create_adam_toward_start",
    "create_copy_lookups",
    "create_copy_tokenizer",
    "create_outside_sampler",
    "create_rehearsal_batcher",
    "create_rehearsal_corpus",
    "create_rehearsal_reader",
    "create_tasks_reader",
    "create_tokenizer_rules",
    "create_warm_start",
    "create_warm_start_beside",
    "with_token_features",
]
