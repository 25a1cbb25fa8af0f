"""CHATBOT_OFFICE_USERS: the school office's user ids, read like CHATBOT_SLT_USERS."""

from __future__ import annotations

import pytest

from chatbot.settings import Settings


def test_office_users_are_split_and_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHATBOT_OFFICE_USERS", " U0OFFICE1, U0OFFICE2 ,")
    assert Settings(_env_file=None).office_users == ("U0OFFICE1", "U0OFFICE2")  # type: ignore[call-arg]
    monkeypatch.setenv("CHATBOT_OFFICE_USERS", "office@school")
    with pytest.raises(ValueError, match="not a Slack user id"):
        Settings(_env_file=None)  # type: ignore[call-arg]


def test_office_users_are_optional(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CHATBOT_OFFICE_USERS", raising=False)
    assert Settings(_env_file=None).office_users == ()  # type: ignore[call-arg]
