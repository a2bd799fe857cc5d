"""nerforge: teach spaCy pipelines new entity types from raw text and a few patterns."""

from .errors import NerforgeError
from .io import read_tasks, write_tasks
from .patterns import bootstrap, load_patterns
from .records import Pattern, Span, Task

__version__ = "0.1.0"

__all__ = [
    "NerforgeError",
    "Pattern",
    "Span",
    "Task",
    "bootstrap",
    "load_patterns",
    "read_tasks",
    "write_tasks",
]
