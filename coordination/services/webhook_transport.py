"""Sending one webhook POST: the signature, and the connection pinned to checked addresses.

Receivers verify `X-Coordination-Signature: sha256=<hex>`, the HMAC-SHA256 of the raw body with
the webhook's secret. Redirects are never followed. The connection is made to the addresses
`webhook_hosts.checked_addresses` approved (Host header, SNI and certificate still name the
host); behind an egress proxy (HTTPS_PROXY) the proxy connects instead.
"""
from __future__ import annotations

import hashlib
import hmac
import http.client
import socket
import ssl
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import urlsplit


def sign(secret: str, body: bytes) -> str:
    """The X-Coordination-Signature value for a raw body."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()



class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Redirects are failures: following one could reach a private host."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """An HTTP connection to `host` (its Host header) made to already checked addresses only."""

    def __init__(self, host: str, port: int | None, addresses: list[str], **kwargs: Any) -> None:
        super().__init__(host, port, **kwargs)
        self._addresses = addresses
        self._create_connection = self._connect_pinned

    def _connect_pinned(self, _address: tuple[str, int], timeout: Any = None,
                        source_address: Any = None) -> socket.socket:
        error: OSError | None = None
        for address in self._addresses:  # each one was checked; never resolve the name again
            try:
                return socket.create_connection((address, self.port), timeout, source_address)
            except OSError as err:
                error = err
        raise error or OSError("no address to connect to")


class _PinnedHTTPSConnection(_PinnedHTTPConnection, http.client.HTTPSConnection):
    """The same over TLS: SNI and certificate verification name `host`, not the address."""


def _proxied(parts: Any) -> bool:
    """Whether an egress proxy (HTTP(S)_PROXY) is configured for this URL; it then connects."""
    return bool(urllib.request.getproxies().get(parts.scheme.lower())) and \
        not urllib.request.proxy_bypass(parts.hostname or "")

def post(url: str, body: bytes, headers: dict[str, str], timeout: float,
          addresses: list[str] | None = None) -> int:
    """POST `body` and return the status; to the checked `addresses` unless a proxy is used.

    Redirects are not followed (a 3xx status is the answer). Without `addresses` (or behind a
    configured egress proxy) the request goes through urllib as before.
    """
    parts = urlsplit(url)
    if not addresses or _proxied(parts):
        request = urllib.request.Request(url, data=body, headers=headers, method="POST")
        try:
            with _OPENER.open(request, timeout=timeout) as response:
                response.read(4096)
                return response.status
        except urllib.error.HTTPError as err:
            err.close()
            return err.code
    if parts.scheme.lower() == "https":
        connection: http.client.HTTPConnection = _PinnedHTTPSConnection(
            parts.hostname, parts.port, addresses, timeout=timeout, context=ssl.create_default_context())
    else:
        connection = _PinnedHTTPConnection(parts.hostname, parts.port, addresses, timeout=timeout)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        connection.request("POST", target, body=body, headers=headers)
        response = connection.getresponse()
        response.read(4096)
        return response.status
    finally:
        connection.close()

