"""One-off e-mails to a person (sign-up links): over SMTP when SMTP_HOST is configured, else to the log.

Without a mail server (the demo on a laptop) the message, links included, is written to the
server's log at WARNING level, prefixed "E-mail not sent (no SMTP_HOST configured) to <address>",
so whoever runs the server can follow it. A failing mail server is logged, never shown to the
person: the page they see must not depend on whether the message went out.
"""
from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage

from flask import current_app

from coordination.services.digest import _send, smtp_settings

NOT_SENT = "E-mail not sent (no SMTP_HOST configured) to"


def _logger() -> logging.Logger:
    """The app's logger's child "<app>.mail", its records handled by the app's handlers.

    Fetched when needed, not at import: a logging.config.fileConfig run in the same process
    (Alembic's, when `coordination demo` migrates) disables the loggers that exist by then.
    """
    return logging.getLogger(f"{current_app.logger.name}.mail")


def configured() -> bool:
    """Whether messages go out through a mail server (else they are written to the log)."""
    return smtp_settings(current_app.config) is not None


def send_mail(to: str, subject: str, text: str) -> bool:
    """Send a plain-text message; True if a mail server accepted it."""
    settings = smtp_settings(current_app.config)
    if settings is None:
        _logger().warning("%s %s: %s\n\n%s", NOT_SENT, to, subject, text)
        return False
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = settings.sender, to, subject
    msg.set_content(text)
    try:
        _send(settings, msg)
    except (OSError, smtplib.SMTPException) as err:
        _logger().error("E-mail to %s not sent: %s: %s", to, err.__class__.__name__, err)
        return False
    return True
