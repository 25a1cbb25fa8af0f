"""Slack markup -> the text that will be posted."""

from __future__ import annotations

import pytest

from chatbot.adapters.slack.markup import to_post_text


@pytest.mark.parametrize(
    ("slack", "post"),
    [
        ("Fish &amp; chips", "Fish & chips"),
        ("1 &lt; 2 &gt; 0", "1 < 2 > 0"),
        ("&amp;lt; stays literal", "&lt; stays literal"),
        ("<https://huntscross.sch.uk/news|our news page>", "https://huntscross.sch.uk/news"),
        ("<https://huntscross.sch.uk>", "https://huntscross.sch.uk"),
        ("<https://a.uk/?a=1&amp;b=2|link>", "https://a.uk/?a=1&b=2"),
        (
            "Email <mailto:office@huntscross.sch.uk|office@huntscross.sch.uk>",
            "Email office@huntscross.sch.uk",
        ),
        ("Well done :tada:", "Well done 🎉"),
        (":wave::skin-tone-3: hello", "👋🏼 hello"),
        (":tada::tada:", "🎉🎉"),
        ("a :not-an-emoji-name: b", "a :not-an-emoji-name: b"),
        ("Ratio 3:2 at 10:30", "Ratio 3:2 at 10:30"),
        ("Line one\nLine two", "Line one\nLine two"),
        ("Match on <!date^1392734382^{date_short}|Feb 18, 2014>", "Match on Feb 18, 2014"),
    ],
)
def test_conversion(slack: str, post: str) -> None:
    converted = to_post_text(slack)
    assert converted.text == post
    assert converted.notices == ()


@pytest.mark.parametrize(
    ("slack", "post", "notice"),
    [
        ("Thanks <@U012AB3CD> for the help", "Thanks for the help", "cannot mention people"),
        ("See <#C012AB3CD|general> today", "See today", "Slack channels"),
        ("<!here> sports day", "sports day", "@here"),
        ("<!subteam^S012AB3CD|@slt> please", "please", "@here"),
    ],
)
def test_slack_only_markup_is_removed_with_a_notice(slack: str, post: str, notice: str) -> None:
    converted = to_post_text(slack)
    assert converted.text == post
    assert len(converted.notices) == 1
    assert notice in converted.notices[0]


def test_emoji_shortcodes_become_emoji() -> None:
    # An emoji-only draft is the intake's to point out (test_slack_intake); here, the characters.
    assert to_post_text(":tada: :wave::skin-tone-3:").text == "🎉 👋🏼"
    assert to_post_text(":not-an-emoji:").text == ":not-an-emoji:"
