"""Webhook addresses: what may be called (no private hosts, no IPv6 disguises of them), and a
request that goes exactly where it was checked to go (DNS answers pinned, TLS checked by name)."""
from __future__ import annotations

import shutil
import socket
import ssl
import subprocess

import pytest

from coordination.errors import ValidationError
from coordination.services.webhook_hosts import validate_url

from ..factories import bearer
from ..resources import missing
from .test_webhooks import _add_webhook, orgs, receivers  # noqa: F401 (fixtures shared with the delivery tests)


@pytest.mark.parametrize("url", ["ftp://example.org/hook", "not a url", "http://", "javascript:alert(1)",
                                 "", 42, None, "http://example.org:99999/", "https://exa mple.org/"])
def test_invalid_urls_are_refused_with_a_field_error(client, orgs, url):
    response = client.post("/api/v1/webhooks", json={"url": url}, headers=bearer(orgs["admin_a"]))
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "validation_error" and "url" in response.get_json()["error"]["fields"]


@pytest.mark.parametrize("url", ["http://127.0.0.1:8080/hook", "http://localhost/hook", "http://10.1.2.3/hook",
                                 "http://192.168.0.10/", "http://169.254.169.254/latest/meta-data", "http://[::1]/"])
def test_private_hosts_are_refused_when_not_allowed(app, client, orgs, url):
    app.config["WEBHOOK_ALLOW_PRIVATE"] = False
    response = client.post("/api/v1/webhooks", json={"url": url}, headers=bearer(orgs["admin_a"]))
    assert response.status_code == 400
    assert "only public hosts" in response.get_json()["error"]["fields"]["url"][0]


def test_a_short_secret_is_refused(client, orgs, receivers):
    response = client.post("/api/v1/webhooks", json={"url": receivers().url, "secret": "short"},
                           headers=bearer(orgs["admin_a"]))
    assert response.status_code == 400 and "secret" in response.get_json()["error"]["fields"]


@pytest.mark.parametrize("url", ["http://[64:ff9b::7f00:1]/", "http://[64:ff9b::a9fe:a9fe]/latest/meta-data",
                                 "http://[64:ff9b:1::7f00:1]/", "http://[2002:7f00:1::1]/", "http://[2002:a00:1::1]/",
                                 "http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/", "http://[::7f00:1]/",
                                 "http://[::ffff:7f00:1]/"])
def test_ipv6_addresses_embedding_a_private_ipv4_address_are_refused(url):
    # NAT64 and 6to4 gateways forward to the IPv4 address inside; Teredo tunnels are refused outright.
    with pytest.raises(ValidationError) as error:
        validate_url(url, allow_private=False)
    assert "only public hosts" in error.value.fields["url"][0]


@pytest.mark.parametrize("url", ["http://[64:ff9b::808:808]/hook", "http://[2002:808:808::1]/hook",
                                 "http://8.8.8.8/hook", "http://[2606:4700:4700::1111]/hook"])
def test_public_addresses_and_ipv6_forms_of_public_ipv4_addresses_are_accepted(url):
    assert validate_url(url, allow_private=False) == url


PUBLIC = "93.184.216.34"


class FakeDNS:
    """getaddrinfo for hooks.example.org: the answers in turn (the last one repeats); others resolve as usual."""

    def __init__(self, monkeypatch, *answers: str):
        self.answers, self.calls, self.connects = list(answers), 0, []
        real_getaddrinfo, real_connect = socket.getaddrinfo, socket.create_connection

        def getaddrinfo(host, port, *args, **kwargs):
            if host not in ("hooks.example.org", "other.example.org"):
                return real_getaddrinfo(host, port, *args, **kwargs)
            self.calls += 1
            answer = self.answers[min(self.calls, len(self.answers)) - 1]
            return [(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", (answer, port or 0))]

        def create_connection(address, *args, **kwargs):
            self.connects.append(address)
            if address[0] == PUBLIC:  # no internet in tests: the public host does not answer
                raise ConnectionRefusedError(f"{PUBLIC} refused the connection")
            return real_connect(address, *args, **kwargs)

        monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
        monkeypatch.setattr(socket, "create_connection", create_connection)


def _port(receiver) -> int:
    return receiver.server.server_address[1]


def test_a_dns_answer_that_changes_after_the_check_cannot_redirect_the_request(app, client, orgs, receivers,
                                                                               monkeypatch):
    receiver = receivers()
    hook = _add_webhook(client, orgs["admin_a"], f"http://hooks.example.org:{_port(receiver)}/hooks/coordination")
    app.config["WEBHOOK_ALLOW_PRIVATE"] = False
    dns = FakeDNS(monkeypatch, PUBLIC, "127.0.0.1")  # rebinding: public when checked, loopback afterwards
    sent = client.post(f"/api/v1/webhooks/{hook['id']}/test", headers=bearer(orgs["admin_a"])).get_json()
    assert receiver.requests == []  # the loopback receiver was never called
    assert sent["status"] == "failed" and "refused the connection" in sent["last_error"]
    assert dns.calls == 1 and dns.connects == [(PUBLIC, _port(receiver))]  # the checked address, once


def test_a_pinned_request_keeps_the_host_name_in_the_host_header(app, client, orgs, receivers, monkeypatch):
    receiver = receivers()
    url = f"http://hooks.example.org:{_port(receiver)}/hooks/coordination?source=platform"
    hook = _add_webhook(client, orgs["admin_a"], url)
    dns = FakeDNS(monkeypatch, "127.0.0.1")
    sent = client.post(f"/api/v1/webhooks/{hook['id']}/test", headers=bearer(orgs["admin_a"])).get_json()
    assert sent["status"] == "delivered", sent
    [(headers, _body)] = receiver.requests
    assert headers["Host"] == f"hooks.example.org:{_port(receiver)}" and dns.calls == 1


@pytest.fixture
def tls_receiver(tmp_path, receivers):
    """A receiver over HTTPS with a certificate for hooks.example.org, trusted through SSL_CERT_FILE."""
    if shutil.which("openssl") is None:
        missing("openssl is needed to make a test certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=hooks.example.org", "-addext", "subjectAltName=DNS:hooks.example.org",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    receiver = receivers()
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    receiver.server.socket = context.wrap_socket(receiver.server.socket, server_side=True)
    return receiver, cert


def test_https_to_a_pinned_address_verifies_the_certificate_against_the_host_name(app, client, orgs, tls_receiver,
                                                                                 monkeypatch):
    receiver, cert = tls_receiver
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    FakeDNS(monkeypatch, "127.0.0.1")
    good = _add_webhook(client, orgs["admin_a"], f"https://hooks.example.org:{_port(receiver)}/hook")
    sent = client.post(f"/api/v1/webhooks/{good['id']}/test", headers=bearer(orgs["admin_a"])).get_json()
    assert sent["status"] == "delivered", sent
    assert receiver.requests[0][0]["Host"] == f"hooks.example.org:{_port(receiver)}"
    wrong = _add_webhook(client, orgs["admin_a"], f"https://other.example.org:{_port(receiver)}/hook")
    refused = client.post(f"/api/v1/webhooks/{wrong['id']}/test", headers=bearer(orgs["admin_a"])).get_json()
    assert refused["status"] == "failed" and "CERTIFICATE_VERIFY_FAILED" in refused["last_error"]
    assert len(receiver.requests) == 1
