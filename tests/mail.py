"""A real SMTP server on 127.0.0.1 for the tests that send e-mail (digests, sign-up links)."""
from __future__ import annotations

import socket
from contextlib import contextmanager

import pytest
from email import message_from_bytes, policy

from aiosmtpd.controller import Controller


class Inbox:
    """An aiosmtpd handler that keeps every message it accepts."""

    def __init__(self):
        self.messages: list[tuple[list[str], object]] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((list(envelope.rcpt_tos), message_from_bytes(envelope.content, policy=policy.default)))
        return "250 Message accepted for delivery"


def free_port() -> int:
    """A TCP port nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def local_smtp(app, sender: str):
    """Run an SMTP server and configure the app to send through it as `sender`; yields its Inbox."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=controller.port, SMTP_FROM=sender)
    try:
        yield inbox
    finally:
        controller.stop()


def smtp_fixture(name: str, sender: str, doc: str):
    """A fixture `name` running a local SMTP server the app sends through as `sender`; it yields the Inbox."""
    @pytest.fixture(name=name)
    def fixture(app):
        with local_smtp(app, sender) as inbox:
            yield inbox
    fixture.__doc__ = doc
    return fixture
