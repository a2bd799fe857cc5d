"""The addresses `annotate` and `teach` print: ones a browser can open, also for --host 0.0.0.0."""

from __future__ import annotations

import ipaddress
import socket
from pathlib import Path
from typing import Annotated

import typer

from ._common import msg

# The options every page server takes (annotate, teach, review), declared once.
StoreFileOption = Annotated[
    Path | None,
    typer.Option("--db", help="The store file (default: $NERFORGE_DB, else nerforge.db here)."),
]
HostOption = Annotated[
    str,
    typer.Option(
        "--host",
        help="Address to listen on; any but 127.0.0.1, localhost or ::1 requires the printed token.",
    ),
]
PortOption = Annotated[int, typer.Option("--port", help="Port to listen on.")]
# The pages that hand questions out to annotators (annotate, teach), declared once.
OverlapOption = Annotated[
    int,
    typer.Option(
        "--overlap",
        min=0,
        help="How many different sessions (?session=NAME) each text (teach: each card) goes to: N >= 2 "
        "for agreement (nerforge db agreement), 0 for every session seeing every one.",
    ),
]


# Hosts that mean "every interface": a browser can't open them, so the machine's own names are shown.
WILDCARD_HOSTS = frozenset({"0.0.0.0", "::", ""})
# A documentation address (TEST-NET-1): a UDP socket "connected" to it only picks the route out;
# nothing is sent, so this works offline and costs no traffic.
_ROUTE_PROBE = ("192.0.2.1", 9)


def page_addresses(host: str, port: int, token: str | None) -> list[str]:
    """The URLs of the page served on ``host``: as given, or each reachable name for a wildcard host."""
    hosts = reachable_hosts() if host in WILDCARD_HOSTS else [host]
    query = f"?token={token}" if token else ""
    return [f"http://{_bracketed(name)}:{port}/{query}" for name in hosts]


def print_addresses(doing: str, host: str, port: int, token: str | None) -> None:
    """What the page is for, then each address on a line of its own, unwrapped so it can be copied whole."""
    addresses = page_addresses(host, port, token)
    msg.good(f"{doing}. Open {'this address' if len(addresses) == 1 else 'one of these addresses'}:")
    lines = "\n".join(f"    {address}" for address in addresses)
    typer.echo(f"\n{lines}\n")


def reachable_hosts() -> list[str]:
    """This machine's host name and its non-loopback IP addresses, found without network traffic.

    Falls back to 127.0.0.1 when the machine has no other address (a browser on it still works).
    """
    hostname = socket.gethostname()
    found = [hostname] if hostname and hostname != "localhost" else []
    for address in _host_ips(hostname) + _route_ip():
        ip = ipaddress.ip_address(address)
        if address not in found and not (ip.is_loopback or ip.is_unspecified):
            found.append(address)
    return found or ["127.0.0.1"]


def _host_ips(hostname: str) -> list[str]:
    """The addresses the host name resolves to (from /etc/hosts or the resolver's cache)."""
    try:
        infos = socket.getaddrinfo(hostname, None, type=socket.SOCK_STREAM)
    except OSError:
        return []
    return [str(info[4][0]).split("%")[0] for info in infos]


def _route_ip() -> list[str]:
    """The address of the interface with the default route, if there is one."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(_ROUTE_PROBE)  # UDP connect sends nothing
            return [str(probe.getsockname()[0])]
    except OSError:
        return []


def _bracketed(host: str) -> str:
    return f"[{host}]" if ":" in host else host
