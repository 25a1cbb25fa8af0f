"""Drafts arriving in the drafts channel: intake once, markup, photos, bad input."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from chatbot.adapters.db.models import AuditEntry, Draft
from chatbot.adapters.slack.refs import SlackRefs
from chatbot.policy.engine import load_policy
from chatbot.services import intake
from chatbot.services.intake import IncomingMessage
from chatbot.services.ports import MessageRef
from tests.contract.slack_support import (
    APPROVALS,
    DRAFTS,
    PHOTOS,
    STAFF,
    Bot,
    action_ids,
)
from tests.fakes.slack_server import FakeSlack


def test_message_becomes_a_draft_once_despite_a_retry(bot: Bot) -> None:
    event = bot.message("Year 4 had a wonderful trip to the museum today.")
    bot.event(event)
    bot.event(event, retry=1)  # Slack redelivers: same channel and ts
    bot.event(event, retry=2)

    drafts = bot.drafts()
    assert len(drafts) == 1
    draft = drafts[0]
    assert (draft.channel_id, draft.message_ts, draft.author_id) == (DRAFTS, event["ts"], STAFF)
    assert draft.state == "pending_approval"
    assert len(bot.cards()) == 1
    assert len(bot.thread_replies(event["ts"])) == 1
    eyes = bot.fake.calls("reactions.add")
    assert eyes
    assert (
        eyes[0].params.items()
        >= {"channel": DRAFTS, "timestamp": event["ts"], "name": "eyes"}.items()
    )
    card = bot.cards()[0].params
    assert card["text"]  # a plain-text fallback
    assert "draft_approve" in action_ids(card["blocks"])
    assert draft.card_channel == APPROVALS
    assert draft.card_ts


def test_bots_threads_and_other_channels_are_ignored(bot: Bot) -> None:
    bot.post("From a bot", user="U0BOTUSER", bot_id="B0OTHER01")
    bot.post("Our own message", user=FakeSlack.bot_user_id)
    parent = bot.post("A real draft for the trip.")
    bot.post("A reply in its thread", thread_ts=parent["ts"])
    bot.post("Hello elsewhere", channel="C0ELSEWH1")
    bot.event(
        {**bot.message("bot says", user="U0BOTUSER"), "subtype": "bot_message", "bot_id": "B0"}
    )

    assert [d.message_ts for d in bot.drafts()] == [parent["ts"]]


def test_slack_markup_becomes_post_text_and_mentions_are_flagged(bot: Bot) -> None:
    event = bot.post(
        "Fish &amp; chips &lt;3 for <@U0STAFF02> :tada: "
        "see <https://huntscross.sch.uk/news|our news>"
    )
    draft = bot.draft()
    assert draft.text == "Fish & chips <3 for 🎉 see https://huntscross.sch.uk/news"
    assert draft.source_text.startswith("Fish &amp; chips")
    reply = bot.thread_replies(event["ts"])[0].params
    assert "cannot mention people in Slack" in repr(reply["blocks"])
    card = bot.cards()[0].params
    assert "a post with a link costs more on X" in repr(card["blocks"])
    # Staff text in mrkdwn is escaped; the post itself sits in a rich-text quote.
    assert "<3" not in card["text"]
    assert "&lt;3" in card["text"]


def test_a_photo_is_downloaded_with_the_bot_token_and_needs_a_declaration(bot: Bot) -> None:
    photo = bot.file("F0PHOTO01", PHOTOS / "no-face.jpg", name="cup.jpg", ready_after=1)
    del photo["url_private"], photo["url_private_download"]  # not ready yet when shared
    event = bot.post("Our coffee morning raised £200.", files=[photo])

    draft = bot.draft()
    assert draft.state == "awaiting_declaration"
    assert len(draft.photos) == 1
    assert draft.photos[0].data
    assert not draft.photos[0].problem
    assert bot.fake.downloads()
    assert all(t == FakeSlack.bot_token for _, t in bot.fake.downloads())
    assert len(bot.fake.calls("files.info")) == 2  # asked again until the file was ready
    reply = bot.thread_replies(event["ts"])[0].params
    assert "draft_declare" in action_ids(reply["blocks"])
    assert bot.cards() == []  # SLT see it only once the author has said who is pictured


def test_the_bot_token_is_never_sent_to_another_host_on_a_redirect(bot: Bot) -> None:
    photo = bot.file("F0PHOTO01", PHOTOS / "no-face.jpg", name="cup.jpg")
    same = photo["url_private"].split("/", 3)[3]  # files-pri/T…-F0PHOTO01/cup.jpg
    # the same server under another name: a different host as far as the client can tell
    elsewhere = photo["url_private"].replace("127.0.0.1", "localhost")
    photo["url_private_download"] = bot.fake.add_redirect("/moved/cup.jpg", elsewhere)
    event = bot.post("Our coffee morning.", files=[photo])

    assert bot.fake.downloads() == [(f"/{same}", None)]  # followed, without the token
    assert bot.draft().photos[0].data is None
    assert "could not be downloaded" in repr(bot.thread_replies(event["ts"])[0].params["blocks"])

    # On the same host, the token goes along.
    again = bot.file("F0PHOTO02", PHOTOS / "no-face.jpg", name="cup2.jpg")
    again["url_private_download"] = bot.fake.add_redirect("/moved/cup2.jpg", again["url_private"])
    bot.post("Our coffee morning again.", files=[again])
    assert bot.fake.downloads()[-1][1] == FakeSlack.bot_token
    assert bot.draft().photos[0].data


def test_bad_files_get_a_clear_reply_and_the_listener_keeps_serving(bot: Bot) -> None:
    pdf = bot.file("F0PDF0001", b"%PDF-1.4 letter", name="letter.pdf", mimetype="application/pdf")
    video = bot.file(
        "F0VIDEO01", b"\x00\x00\x00\x18ftypmp42", name="sports.mp4", mimetype="video/mp4"
    )
    big = bot.file("F0BIG0001", b"\xff\xd8" + b"0" * (20 * 1024 * 1024), name="huge.jpg")
    broken = bot.file("F0BROKEN1", b"\xff\xd8\xff\xe0 not really a jpeg", name="broken.jpg")
    ten = [bot.file(f"F0TEN{n:04d}", PHOTOS / "no-face.jpg", name=f"p{n}.jpg") for n in range(10)]

    cases = {
        "pdf": ([pdf], "letter.pdf is a PDF"),
        "video": ([video], "sports.mp4 is a video"),
        "big": ([big], "huge.jpg is too large (20.0 MB)"),
        "broken": ([broken], "broken.jpg"),
        "ten": (ten, "You shared 10 files; a post can carry at most 4 photos"),
    }
    for name, (files, expected) in cases.items():
        event = bot.post(f"Draft with {name}.", files=files)
        replies = bot.thread_replies(event["ts"])
        assert replies, name
        assert expected in repr(replies[0].params["blocks"]), name
    # The big file and the ten were never downloaded.
    downloaded = {path.split("/")[2] for path, _ in bot.fake.downloads()}
    assert not any("BIG" in d or "TEN" in d for d in downloaded)
    photo_count = next(d for d in bot.drafts() if d.source_text == "Draft with ten.")
    assert photo_count.verdict == "block"

    # Empty and emoji-only drafts: a reply too, and the bot still serves the next message.
    empty = bot.post("")
    assert "Must change" in repr(bot.thread_replies(empty["ts"])[0].params["blocks"])
    emoji_only = bot.post(":tada: :tada:")
    assert "only emoji" in repr(bot.thread_replies(emoji_only["ts"])[0].params["blocks"])
    fine = bot.post("Well done to everyone in the choir.")
    assert bot.draft().message_ts == fine["ts"]
    assert bot.draft().state == "pending_approval"
    with bot.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Draft)) == 8


def test_a_slack_error_is_logged_and_the_next_message_still_served(bot: Bot) -> None:
    first = bot.message("The first draft of the day.")
    counter = iter(range(1, 1000))

    def post(call: Any) -> dict[str, Any]:
        if call.params.get("thread_ts") == first["ts"]:
            return {"ok": False, "error": "fatal_error"}
        ts = f"1722222222.{next(counter):06d}"
        return {"ok": True, "channel": call.params["channel"], "ts": ts}

    bot.fake.respond("chat.postMessage", post)
    assert bot.event(first).status == 200
    second = bot.post("The second draft of the day.")
    assert [d.message_ts for d in bot.drafts()] == [first["ts"], second["ts"]]
    assert bot.draft().state == "pending_approval"
    assert len(bot.cards()) == 2  # the first draft's card too, though its thread reply failed


class _LateRefs(SlackRefs):
    """Both deliveries look before either links: the race two processes can run."""

    def find_draft(self, session: Session, ref: MessageRef) -> int | None:
        return None


def test_a_racing_redelivery_loses_on_the_unique_key_and_makes_no_draft(bot: Bot) -> None:
    gateway = bot.gateway
    gateway._refs = _LateRefs()
    policy = load_policy(bot.settings.policy_file)
    message = IncomingMessage(
        ref=MessageRef(DRAFTS, "1732000000.000100"), user=STAFF, source_text="Hi", text="Hi"
    )
    first = intake.receive(bot.sessions, gateway, policy, message)
    second = intake.receive(bot.sessions, gateway, policy, message)
    assert first is not None
    assert second is None
    assert [d.id for d in bot.drafts()] == [first]
    with bot.sessions() as session:
        audit = select(func.count()).where(AuditEntry.action == "posted")
        assert session.scalar(audit) == 1  # the loser's draft and audit row rolled back
