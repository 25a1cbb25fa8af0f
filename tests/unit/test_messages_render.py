"""Neutral message parts (domain/messages.py) and their Slack rendering (adapters/slack/render)."""

from chatbot.adapters.slack.render import mrkdwn
from chatbot.domain.messages import (
    Emphasis,
    Link,
    Mention,
    Message,
    Text,
    as_message,
    joined,
    message,
)


def test_a_message_is_its_parts_in_order_and_a_str_is_plain_text() -> None:
    said = message("Approved by ", Mention("U1"), ".")
    assert said.parts == (Text("Approved by "), Mention("U1"), Text("."))
    assert as_message("plain") == Message((Text("plain"),))
    assert as_message(said) is said
    assert said.plain == "Approved by U1."


def test_messages_add_up_with_text_on_either_side() -> None:
    said = "Paused: " + message(Emphasis("now")) + " wait."
    assert said.parts == (Text("Paused: "), Emphasis("now"), Text(" wait."))
    assert joined(["a", message(Mention("U2"))], ", ").plain == "a, U2"


def test_slack_escapes_text_and_writes_its_own_markup() -> None:
    said = message(
        "Tom & Jo <3 ", Mention("U0SLT0001"), " ", Emphasis("not <b>"), " ", Link("https://e.org")
    )
    assert mrkdwn(said) == ("Tom &amp; Jo &lt;3 <@U0SLT0001> *not &lt;b&gt;* https://e.org")
    assert mrkdwn(message(Link("https://e.org/a?b=1&c=2", "the post"))) == (
        "<https://e.org/a?b=1&c=2|the post>"
    )
    assert mrkdwn("a < b") == "a &lt; b"  # a str is plain text, made inert too
