"""Logging rules that hold for every command: secrets are masked in whatever reaches a handler,
and third-party libraries never log payloads.

Everything that can leak a secret into a log goes through `redact`: Slack tokens by their shape,
passwords in URLs (a proxy or database URL may carry one), and the exact values of the
configured secrets (X's tokens have no recognisable shape), registered by `mask_secrets`.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterable

# Libraries that print request and event payloads (pupils' names) or OAuth details at DEBUG.
PAYLOAD_LOGGERS = (
    "slack_bolt",
    "slack_sdk",
    "urllib3",
    "websockets",
    "tweepy",
    "oauthlib",
    "requests_oauthlib",
)

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

_TOKEN = re.compile(r"\b(xox[a-z]|xapp)-[A-Za-z0-9-]+")
_URL_PASSWORD = re.compile(r"(?P<scheme>[a-z][a-z0-9+.-]*://)[^/\s:@]+:[^/\s@]+@", re.IGNORECASE)
_SUGGESTED_VALUE = re.compile(r"'value': '[^']*'")
# Shorter values would mask ordinary words; real tokens and keys are far longer.
_MIN_SECRET_LENGTH = 8

_secrets: frozenset[str] = frozenset()
_secrets_lock = threading.Lock()


class LogLevelError(ValueError):
    """CHATBOT_LOG_LEVEL is not a level; the message says which are."""


def mask_secrets(values: Iterable[str]) -> None:
    """Mask these exact values (the configured tokens and keys) in every log record."""
    global _secrets  # noqa: PLW0603 (one set per process, read by every handler's filter)
    new = {value for value in values if len(value) >= _MIN_SECRET_LENGTH}
    with _secrets_lock:
        _secrets = _secrets | new


def redact(text: str) -> str:
    """Mask the configured secrets, Slack tokens and passwords in URLs."""
    # Longest first, so a secret that contains another is masked whole.
    for secret in sorted(_secrets, key=len, reverse=True):
        text = text.replace(secret, "(redacted)")
    text = _TOKEN.sub(lambda m: f"{m.group(1)}-(redacted)", text)
    text = _URL_PASSWORD.sub(r"\g<scheme>(redacted)@", text)
    # Bolt's "Unhandled request" warning repeats what was typed into a search box
    # (pictured_pupils searches the register by pupil name).
    return _SUGGESTED_VALUE.sub("'value': '(redacted)'", text)


class RedactingFilter(logging.Filter):
    """Defence in depth: even a careless log call cannot print a token."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage())
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


def log_level(level: str) -> int:
    """CHATBOT_LOG_LEVEL as a number, or `LogLevelError`."""
    numeric = logging.getLevelName(level.upper())
    if not isinstance(numeric, int):
        raise LogLevelError(
            f"CHATBOT_LOG_LEVEL={level!r} is not a log level: use DEBUG, INFO, WARNING or ERROR"
        )
    return numeric


def install_redaction() -> None:
    """Put the redacting filter on every handler of the root logger (once each)."""
    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, RedactingFilter) for f in handler.filters):
            handler.addFilter(RedactingFilter())


def configure_default_logging() -> None:
    """What every command starts with: warnings to stderr, secrets masked. Cheap (`chatbot
    check` runs it too)."""
    logging.basicConfig(level=logging.WARNING, format=LOG_FORMAT)
    install_redaction()


def configure_logging(level: str) -> None:
    """Log to stderr at `level` (CHATBOT_LOG_LEVEL), through the redacting filter."""
    numeric = log_level(level)
    logging.basicConfig(level=numeric, format=LOG_FORMAT, force=True)
    install_redaction()
    quieten_payload_loggers(numeric)


def quieten_payload_loggers(level: int = logging.INFO) -> None:
    """Raise those loggers to `level`, and never below INFO; never lower them. Set on each
    logger itself: the root may be lowered to DEBUG later (CHATBOT_LOG_LEVEL=DEBUG, a test),
    and they would follow it."""
    for name in PAYLOAD_LOGGERS:
        logger = logging.getLogger(name)
        logger.setLevel(max(logger.level, level, logging.INFO))
