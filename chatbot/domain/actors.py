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
