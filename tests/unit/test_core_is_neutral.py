"""The core (domain, policy, services) names no chat platform and no network: the adapters do.

Issue 9's "Done when". A consent channel (Twitter, website) is the policy's own word and
stays; a chat platform's channel, a Slack `ts`, a tweet or an x.com link may not.
"""

from __future__ import annotations

import re
from pathlib import Path

import chatbot

CORE = ("domain", "policy", "services")
PLATFORM = re.compile(r"slack|teams|tweet|x\.com|\bts\b|posted on x\b|\bon x\b", re.IGNORECASE)
# The consent channels (domain/pupils.py Channel) are the only channels the core knows.
CHAT_CHANNEL = re.compile(r"\b(?:this|the|approvals|drafts|safeguarding) channel\b", re.I)


def core_lines() -> list[tuple[str, int, str]]:
    root = Path(chatbot.__file__).parent
    return [
        (str(path.relative_to(root)), number, line)
        for folder in CORE
        for path in sorted((root / folder).rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
    ]


def test_the_core_names_no_chat_platform_and_no_network() -> None:
    named = [
        f"{path}:{number}: {line.strip()}"
        for path, number, line in core_lines()
        if PLATFORM.search(line) or CHAT_CHANNEL.search(line)
    ]
    assert named == []


def test_a_refused_mute_tells_slt_what_to_do_on_that_network() -> None:
    from chatbot.adapters.x import LIMITS as X_LIMITS
    from chatbot.services.monitoring import not_done
    from chatbot.services.ports import ReadError, ReadErrorKind

    keys = not_done(ReadError(ReadErrorKind.CREDENTIALS, "401 Unauthorized"), X_LIMITS)
    assert keys == (
        "Not done: X refused the bot's keys. Do it in the X app, and ask whoever runs the bot "
        "to check the four CHATBOT_X_* tokens and restart it."
    )
    passing = not_done(ReadError(ReadErrorKind.TRANSIENT, "503 Service Unavailable"), X_LIMITS)
    assert (
        passing
        == "Not done: X refused (503 Service Unavailable). Try later, or do it in the X app."
    )
