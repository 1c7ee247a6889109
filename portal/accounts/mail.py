"""Sending email: SMTP when configured, otherwise a file per message in the outbox folder."""

from __future__ import annotations

import smtplib
import time
from email.message import EmailMessage
from pathlib import Path

from flask import current_app


def send(to: str, subject: str, body: str, headers: dict[str, str] | None = None) -> None:
    """Send one plain-text message; `headers` adds e.g. List-Unsubscribe."""
    msg = EmailMessage()
    msg["From"] = current_app.config["MAIL_FROM"]
    msg["To"] = to
    msg["Subject"] = subject
    for name, value in (headers or {}).items():
        msg[name] = value
    msg.set_content(body)
    host = current_app.config["SMTP_HOST"]
    if host:
        with smtplib.SMTP(host, current_app.config["SMTP_PORT"], timeout=10) as smtp:
            if current_app.config["SMTP_STARTTLS"]:
                smtp.starttls()
            if current_app.config["SMTP_USER"]:
                smtp.login(current_app.config["SMTP_USER"], current_app.config["SMTP_PASSWORD"])
            smtp.send_message(msg)
        return
    outbox = Path(current_app.config["MAIL_OUTBOX"])
    outbox.mkdir(parents=True, exist_ok=True)
    (outbox / f"{time.time_ns()}.eml").write_bytes(bytes(msg))
    current_app.logger.info("mail to %s written to %s", to, outbox)
