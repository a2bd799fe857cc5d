"""The SQLite store of reviewed tasks: datasets, answers, and ``db:DATASET`` as a data source.

All of nerforge's SQL lives in this package, parameterised, each write in one transaction.
"""

from .annotators import IDLE_LIMIT_S, AnnotatorStats
from .api import (
    DB_ENV,
    DEFAULT_DB,
    dataset_of,
    default_db_path,
    import_tasks,
    is_db_spec,
    read_dataset,
)
from .connection import SCHEMA_VERSION
from .hashing import input_hash, task_hash
from .store import DatasetInfo, DatasetStats, Store, StoredAnswer, check_dataset_name

__all__ = [
    "DB_ENV",
    "DEFAULT_DB",
    "IDLE_LIMIT_S",
    "SCHEMA_VERSION",
    "AnnotatorStats",
    "DatasetInfo",
    "DatasetStats",
    "Store",
    "StoredAnswer",
    "check_dataset_name",
    "dataset_of",
    "default_db_path",
    "import_tasks",
    "input_hash",
    "is_db_spec",
    "read_dataset",
    "task_hash",
]
