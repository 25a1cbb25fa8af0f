"""The states of a safeguarding alert."""

from __future__ import annotations

from enum import StrEnum


class AlertState(StrEnum):
    OPEN = "open"
    DISMISSED = "dismissed"
    MUTED = "muted"
    HIDDEN = "hidden"
    ACTIONED = "actioned"
