"""Logging rules that hold everywhere: third-party libraries never log payloads."""

from __future__ import annotations

import logging

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


def quieten_payload_loggers(level: int = logging.INFO) -> None:
    """Raise those loggers to `level`, and never below INFO; never lower them. Set on each
    logger itself: the root may be lowered to DEBUG later (CHATBOT_LOG_LEVEL=DEBUG, a test),
    and they would follow it."""
    for name in PAYLOAD_LOGGERS:
        logger = logging.getLogger(name)
        logger.setLevel(max(logger.level, level, logging.INFO))
