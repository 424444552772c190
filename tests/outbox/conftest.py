from __future__ import annotations

from email import message_from_bytes
from email.message import Message

import pytest
from aiosmtpd.controller import Controller

from tests.processes import free_port


class SmtpSink:
    """A real SMTP server (aiosmtpd) on a loopback port, which can be down or up."""

    def __init__(self) -> None:
        self.port = free_port()
        self.messages: list[Message] = []
        self._controller: Controller | None = None

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd hook)
        self.messages.append(message_from_bytes(envelope.content))
        return "250 Message accepted for delivery"

    def start(self) -> None:
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def keys(self) -> list[str]:
        return [m["X-UBDT-Mail-Key"] for m in self.messages]


@pytest.fixture
def smtp(settings):
    """The mail settings point at the sink, which starts down: call .start()."""
    sink = SmtpSink()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = sink.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 5
    yield sink
    sink.stop()
