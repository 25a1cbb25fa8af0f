"""The X (Twitter) adapter: tweepy client, v2 media upload, base-URL redirection, dry run."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chatbot.domain.networks import NetworkLimits

if TYPE_CHECKING:
    from chatbot.adapters.x.client import XPublisher
    from chatbot.adapters.x.dryrun import DryRunPublisher
    from chatbot.settings import Settings

# What the core's network_posts and network_media tables call X (dry runs stand in for it).
NETWORK = "x"

# X's limits for one post (the dry run keeps them too, so a trial behaves as X would).
LIMITS = NetworkLimits(
    network=NETWORK,
    name="X",
    max_length=280,  # counted as twitter-text does: a link 23, an emoji or CJK character 2
    link_length=23,
    wide_weight=2,
    max_photos=4,
    max_photo_bytes=5_000_000,  # X's 5 MB, however a MB is counted
    max_photo_edge=4096,  # X's largest size, "4096x4096"
    post_link=r"^https://(?:www\.|mobile\.)?(?:x|twitter)\.com/[^/\s]+/status/(\d{1,19})",
    post_link_example="https://x.com/school/status/1",
    profile_link="https://x.com/{username}",
    post_page="https://x.com/{username}/status/{id}",
    credentials="the four CHATBOT_X_* tokens",
)


def make_publisher(settings: Settings) -> XPublisher | DryRunPublisher:
    """X when all four X credentials are set, otherwise the dry run (which says so)."""
    if not settings.x_credentials_complete:
        from chatbot.adapters.x.dryrun import DryRunPublisher

        return DryRunPublisher()
    from chatbot.adapters.x.client import XPublisher

    return XPublisher.from_settings(settings)
