"""Which webhook hosts may be called: http(s) URLs to public addresses only (the SSRF guard).

Unless WEBHOOK_ALLOW_PRIVATE (on only for tests and closed networks), hosts resolving to
loopback, private, link-local or reserved addresses (also inside NAT64, 6to4 or Teredo IPv6
addresses) are refused when the webhook is registered and again before every attempt. Each
attempt resolves the host once (`checked_addresses`) and connects to the addresses it checked
(see `webhook_transport`), so a DNS answer that changes after the check cannot redirect it.
"""
from __future__ import annotations

import ipaddress
import os
import socket
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from ..errors import ValidationError


def private_allowed(config: Mapping[str, Any]) -> bool:
    """WEBHOOK_ALLOW_PRIVATE from the app config or environment; off (private addresses refused) by default."""
    value = config.get("WEBHOOK_ALLOW_PRIVATE", os.environ.get("WEBHOOK_ALLOW_PRIVATE"))
    if value is None:
        return False
    return value if isinstance(value, bool) else str(value).lower() in ("1", "true", "yes")


# IPv6 prefixes that carry an IPv4 address a gateway will forward to: NAT64 (64:ff9b::/96, the
# last 32 bits), 6to4 (2002::/16, bits 16-48) and IPv4-compatible (::/96). Such an address is as
# public as the IPv4 address inside it. Local-use NAT64 (64:ff9b:1::/48, where the IPv4 address
# may sit anywhere) and Teredo (2001::/32, a tunnel to an obfuscated client) are refused outright.
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_IPV4_COMPATIBLE = ipaddress.ip_network("::/96")
_REFUSED_PREFIXES = (ipaddress.ip_network("64:ff9b:1::/48"), ipaddress.ip_network("2001::/32"))


def _effective_address(address: ipaddress.IPv4Address | ipaddress.IPv6Address
                       ) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The address a connection to `address` really reaches: the IPv4 address embedded in an
    IPv4-mapped, NAT64, 6to4 or IPv4-compatible IPv6 address; None for a refused tunnel prefix."""
    if address.version == 4:
        return address
    if any(address in network for network in _REFUSED_PREFIXES):
        return None
    if address.ipv4_mapped is not None:  # ::ffff:127.0.0.1 is loopback too
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address in _NAT64 or (address in _IPV4_COMPATIBLE and int(address) > 1):
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return address


def _public_problem(host: str, text: str) -> str | None:
    """Why the address `text` is not a public internet address, or None when it is."""
    address = ipaddress.ip_address(text.split("%")[0])
    effective = _effective_address(address)
    if effective is None or not effective.is_global or effective.is_multicast:
        shown = address if effective in (None, address) else f"{address}, that is {effective}"
        return f"{host!r} is a loopback, private or reserved address ({shown}); only public hosts are allowed"
    return None


def _resolve(host: str, port: int | None = None) -> list[str]:
    """The addresses `host` resolves to for TCP, in the resolver's order (OSError if none)."""
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except UnicodeError as err:
        raise OSError(str(err)) from None
    addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
    if not addresses:
        raise OSError(f"no address for {host!r}")
    return addresses


def checked_addresses(host: str, allow_private: bool) -> tuple[list[str], str | None]:
    """Resolve `host` once: its addresses, and why they may not be called (None if they may).

    Every address must be public (unless private hosts are allowed); the connection is then
    made to these very addresses, so a DNS answer that changes after the check (rebinding)
    cannot send the request anywhere else.
    """
    try:
        addresses = _resolve(host)
    except OSError:
        return [], f"host {host!r} cannot be resolved"
    if not allow_private:
        for text in addresses:
            problem = _public_problem(host, text)
            if problem:
                return addresses, problem
    return addresses, None


def _address_problem(host: str) -> str | None:
    """Why `host` is not a public internet host, or None when every address it resolves to is."""
    return checked_addresses(host, allow_private=False)[1]


def validate_url(url: Any, allow_private: bool) -> str:
    """An http(s) URL with a host; private hosts only when allowed. Raises a field error."""
    problem = None
    if not isinstance(url, str) or not url.strip():
        problem = "is required"
    elif len(url) > 2000:
        problem = "must be at most 2000 characters"
    else:
        url = url.strip()
        try:
            parts = urlsplit(url)
            parts.port  # noqa: B018 - raises ValueError on a bad port
        except ValueError:
            parts = None
        if parts is None or parts.scheme.lower() not in ("http", "https") or not parts.hostname:
            problem = "must be an http:// or https:// URL with a host"
        elif any(c.isspace() for c in url):
            problem = "must not contain spaces"
        elif not allow_private:
            problem = _address_problem(parts.hostname)
    if problem:
        raise ValidationError("Invalid webhook URL.", {"url": [problem]})
    return url

