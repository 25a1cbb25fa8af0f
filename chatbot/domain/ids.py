"""Ids that come back from a chat platform (a button's value, a form's metadata).

Anyone can forge a click, so an id is read strictly: ASCII digits only (no sign, no spaces,
no other scripts' digits), at most 12 of them. One parser for drafts, alerts and questions.
"""

from __future__ import annotations

_MAX_DIGITS = 12


def parse_id(value: object) -> int | None:
    """The id in `value`, or None if it is forged or malformed ("-5", "1.5", "", None, 12)."""
    if not isinstance(value, str) or not value.isascii() or not value.isdigit():
        return None
    if len(value) > _MAX_DIGITS:
        return None
    return int(value)
