"""Logging an unexpected failure without what it was about.

An exception's text can carry SQL parameters or message text, which may hold a pupil's name, so
the log gets the exception's type and where it happened, never its message.
"""

from __future__ import annotations

import logging
import traceback


def log_failure(logger: logging.Logger, what: str, exc: BaseException) -> None:
    frames = "".join(traceback.format_tb(exc.__traceback__))
    cause = f" (from {type(exc.__cause__).__name__})" if exc.__cause__ else ""
    logger.error("%s failed: %s%s\n%s", what, type(exc).__name__, cause, frames.rstrip())
