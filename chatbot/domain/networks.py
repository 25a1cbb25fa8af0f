"""What a social network allows in one post: its publisher says, the core abides by it.

The core holds no network's numbers: the publisher (`Publisher.limits`) hands them over and the
wiring passes them to the card view, the intake of photos and the image preparation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class NetworkLimits:
    """One network's limits for a post, and how it counts and links posts."""

    network: str  # its id in the core's tables (`Publisher.network`)
    name: str  # as people call the network, for the texts that name it
    max_length: int  # the longest post, in the network's own count (see below)
    link_length: int  # what any link counts for, however long it is
    wide_weight: int  # what an emoji or a CJK character counts for (others count 1)
    max_photos: int  # photos on one post
    max_photo_bytes: int  # the largest photo file it takes
    max_photo_edge: int  # the longest side of a photo it shows at full size, in pixels
    post_link: str  # a regular expression matching a post's public link; group 1 is its id
    post_link_example: str = ""  # a post's link as people see it, for the texts that ask for one
    profile_link: str = ""  # an account's public link, with "{username}" in it
    post_page: str = ""  # a post's public link, with "{username}" and "{id}" in it
    credentials: str = ""  # where its keys are set, for the texts that ask a person to check them

    def post_id_in(self, url: str) -> str | None:
        """The post's id if `url` is the link to a post on this network, else None."""
        match = re.match(self.post_link, url.strip())
        return match.group(1) if match else None

    def post_url(self, username: str, post_id: str) -> str:
        """The post's public link ('' when the network has none)."""
        return self.post_page.format(username=username, id=post_id) if self.post_page else ""

    def profile_url(self, username: str) -> str:
        """The account's public link ('' when the network has none)."""
        return self.profile_link.format(username=username) if self.profile_link else ""
