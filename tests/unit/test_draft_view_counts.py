"""The card's length and link note: X's counting, and no hang on hostile text."""

from __future__ import annotations

import pytest

from chatbot.services.draft_view import has_link, weighted_length


def test_counts_like_x() -> None:
    assert weighted_length("Hello https://example.com/a/very/long/path 🎉", 280) == 6 + 23 + 1 + 2
    assert weighted_length("", 280) == 0


def test_link_note() -> None:
    assert has_link("Tickets at https://huntscross.sch.uk/fair")
    assert not has_link("No links here, just the fair on Friday.")


@pytest.mark.timeout(20)
def test_hostile_text_is_counted_quickly() -> None:
    # twitter-text's parse_tweet takes minutes on this (quadratic link search).
    assert weighted_length("s." * 3000, 280) == 6000
    assert not has_link("s." * 3000)
