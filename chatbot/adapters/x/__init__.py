"""The X (Twitter) adapter: tweepy client, v2 media upload, base-URL redirection, dry run."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from chatbot.adapters.x.client import XPublisher
    from chatbot.adapters.x.dryrun import DryRunPublisher
    from chatbot.settings import Settings

# What the core's network_posts and network_media tables call X (dry runs stand in for it).
NETWORK = "x"


def make_publisher(settings: Settings) -> XPublisher | DryRunPublisher:
    """X when all four X credentials are set, otherwise the dry run (which says so)."""
    if not settings.x_credentials_complete:
        from chatbot.adapters.x.dryrun import DryRunPublisher

        return DryRunPublisher()
    from chatbot.adapters.x.client import XPublisher

    return XPublisher.from_settings(settings)
