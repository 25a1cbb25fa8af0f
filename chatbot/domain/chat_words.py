"""A chat platform's own words for the texts the core writes: each chat adapter has its own."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ChatWords:
    compose: str  # how a person opens the compose form (a slash command, a button's name)
    room: str  # the shared place where cards are posted, in the platform's word
    thread: str  # the replies under a message, in the platform's word
