"""The address `annotate` and `teach` print is one a browser can open (issue 27, item 5B-2)."""

from __future__ import annotations

import pytest

from nerforge.cli import _serve
from nerforge.cli._serve import page_addresses


@pytest.mark.parametrize(
    ("host", "expected"),
    [("192.168.1.5", "http://192.168.1.5:8080/?token=t"), ("fe80::1", "http://[fe80::1]:8080/?token=t")],
)
def test_a_specific_host_prints_as_given(host, expected):
    assert page_addresses(host, 8080, "t") == [expected]


def test_a_wildcard_host_prints_the_machines_name_and_non_loopback_ips(monkeypatch):
    monkeypatch.setattr(_serve.socket, "gethostname", lambda: "labbox")
    monkeypatch.setattr(_serve, "_host_ips", lambda hostname: ["127.0.1.1", "10.0.0.7"])
    monkeypatch.setattr(_serve, "_route_ip", lambda: ["10.0.0.7"])
    assert page_addresses("0.0.0.0", 8080, "t") == [
        "http://labbox:8080/?token=t",
        "http://10.0.0.7:8080/?token=t",
    ]


def test_a_wildcard_host_never_prints_the_wildcard_on_this_machine():
    addresses = page_addresses("0.0.0.0", 8080, None)
    assert addresses and not any("0.0.0.0" in address or "[::]" in address for address in addresses)
