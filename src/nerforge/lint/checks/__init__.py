"""The checks, one module per concern; each check yields :class:`~nerforge.lint.Finding` objects.

- ``alignment``: spans against tokens (L1xx).
- ``consistency``: one string labelled in one place and not in another (L2xx).
- ``base_model``: entities a pretrained pipeline sees that the data leaves unlabelled (L3xx).
- ``amounts``: examples per label, texts without entities (L4xx).
- ``scheme``: too specific, subjective, sparse or overlapping labels; train vs dev labels (L5xx).
- ``hygiene``: duplicates, leakage, incomplete tasks, text lengths (L6xx).
"""
