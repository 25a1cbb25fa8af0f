"""Fixtures for the contract tests: the fake Slack and a Bolt app wired to it."""

from __future__ import annotations

from tests.contract.slack_support import bot
from tests.fakes.slack_server import fake_slack

__all__ = ["bot", "fake_slack"]
