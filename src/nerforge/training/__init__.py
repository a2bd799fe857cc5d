"""Training: a new NER from tasks, on spaCy's config system and training loop."""

from . import readers as readers  # registers nerforge's spaCy functions
from .trainer import Progress, Trainer

__all__ = ["Progress", "Trainer"]
