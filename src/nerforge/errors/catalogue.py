"""The one lookup of message templates: :class:`Errors`, joined from the parts by code range."""

from __future__ import annotations

from .data_codes import DataMessages
from .service_codes import ServiceMessages
from .workflow_codes import WorkflowMessages

# The parts in code order (E0xx, then E1xx-E2xx, then E3xx-E4xx): tests walk them in this order
# to check that the codes rise and that no code is written twice.
PARTS: tuple[type, ...] = (DataMessages, WorkflowMessages, ServiceMessages)


class Errors(ServiceMessages, WorkflowMessages, DataMessages):
    """Message templates, keyed by code. Fields are filled with ``str.format``.

    ``getattr(Errors, "E002")`` finds a code whichever part declares it; :data:`PARTS` lists the
    parts in code order.
    """
