"""The default rehearsal corpus's texts: one UTF-8 file per domain, one text a line.

The files live in ``data/`` beside this module and are read as package data, so they
travel with an installed nerforge (see README.md here for how they were written).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from importlib.resources import files
from typing import TYPE_CHECKING

from ..errors import ParameterError

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

# Every domain of the corpus, in the order they are streamed. Each is data/<domain>.txt.
DOMAINS: tuple[str, ...] = (
    "news",
    "web",
    "reviews",
    "email",
    "forums",
    "conversation",
    "finance",
    "sports",
    "science",
)


def iter_default_texts(domains: Iterable[str] | None = None) -> Iterator[tuple[str, str]]:
    """Stream the corpus as ``(domain, text)`` pairs, domain by domain, in file order.

    Args:
        domains: The domains to read (any of :data:`DOMAINS`); ``None`` reads them all.

    Raises:
        ParameterError: E250 if a domain is not one of :data:`DOMAINS`.
    """
    for domain in select_domains(domains):
        with domain_file(domain).open("r", encoding="utf-8") as handle:
            for line in handle:
                text = line.rstrip("\r\n")
                if text.strip():
                    yield domain, text


def select_domains(domains: Iterable[str] | None) -> tuple[str, ...]:
    """The domains asked for, checked, in :data:`DOMAINS` order; all of them for ``None``.

    Raises:
        ParameterError: E250 naming every unknown domain.
    """
    if domains is None:
        return DOMAINS
    wanted = set(domains)
    unknown = sorted(wanted.difference(DOMAINS))
    if unknown:
        raise ParameterError("E250", unknown=", ".join(unknown), domains=", ".join(DOMAINS))
    return tuple(domain for domain in DOMAINS if domain in wanted)


def domain_file(domain: str) -> Traversable:
    """The package-data file that holds one domain's texts."""
    return files(__package__) / "data" / f"{domain}.txt"


def corpus_fingerprint(domains: Iterable[str] | None = None) -> str:
    """A SHA-256 of the domains' names and bytes: it changes whenever the corpus does."""
    digest = hashlib.sha256()
    for domain in select_domains(domains):
        digest.update(domain.encode("utf-8") + b"\0")
        digest.update(domain_file(domain).read_bytes())
    return digest.hexdigest()
