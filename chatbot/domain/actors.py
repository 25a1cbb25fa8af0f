"""The person acting, as the services see them: who, and whether they are SLT or the office.

The chat adapter resolves this (from its SLT directory); the services decide with it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Actor:
    id: str  # the platform's user id; "" when the platform did not say
    is_slt: bool = False
    is_office: bool = False  # the school office (CHATBOT_OFFICE_USERS): keeps consent
    # Their display name as the platform gave it when they acted, kept in the audit log for
    # governors (ids change nothing for a reader); None when the platform could not say.
    name: str | None = None


# Who an audit row is by: a person, or a process's own id ("system") that has no name.
Acting = Actor | str


def acting_id(who: Acting) -> str:
    return who.id if isinstance(who, Actor) else who


def acting_name(who: Acting) -> str | None:
    return who.name if isinstance(who, Actor) else None
