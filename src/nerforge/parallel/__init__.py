"""Using every core, and a Dask cluster beyond one machine, for bootstrap and predict.

- :func:`run_tasks` streams tasks through a :class:`Work` as planned by a :class:`Plan`:
  in this process, in forked worker processes, or on a Dask scheduler; results (spans,
  not Docs) come back in input order.
- :func:`auto_plan` picks processes and batch size from the input and the machine.
"""

from .auto import auto_plan
from .dask_backend import check_scheduler, usable_cpus
from .jobs import Counted, Job, Progress, Work
from .pool import map_batches
from .runner import Plan, batched, run_tasks

__all__ = [
    "Counted",
    "Job",
    "Plan",
    "Progress",
    "Work",
    "auto_plan",
    "batched",
    "check_scheduler",
    "map_batches",
    "run_tasks",
    "usable_cpus",
]
