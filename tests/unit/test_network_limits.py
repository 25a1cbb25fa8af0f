"""The publisher's limits: X's are what the cards, intake and images hold posts to."""

from chatbot.adapters.x import LIMITS, NETWORK
from chatbot.adapters.x.dryrun import DryRunPublisher


def test_x_and_the_dry_run_have_the_same_limits() -> None:
    assert DryRunPublisher().limits is LIMITS
    assert (LIMITS.network, LIMITS.max_length, LIMITS.max_photos) == (NETWORK, 280, 4)
    assert (LIMITS.max_photo_bytes, LIMITS.max_photo_edge) == (5_000_000, 4096)


def test_a_post_link_gives_its_id_and_anything_else_none() -> None:
    assert LIMITS.post_id_in(" https://x.com/HuntsCrossPri/status/12 ") == "12"
    assert LIMITS.post_id_in("https://mobile.twitter.com/school/status/99?s=20") == "99"
    assert LIMITS.post_id_in("https://example.com/x") is None
    assert LIMITS.post_id_in("https://x.com/a b/status/1") is None
