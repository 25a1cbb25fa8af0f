"""How the Teams routes read an activity: which posts are drafts, their ref, their files, their
text; and the background runner's order per key."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

from chatbot.adapters.teams.routes_common import Background
from chatbot.adapters.teams.routes_messages import (
    FILE_CARD,
    files_of,
    incoming,
    is_top_level,
    message_ref,
)
from chatbot.services.ports import ChatFile, MessageRef

CHANNEL = "19:drafts0a1b2c3d@thread.tacv2"
BOT = "28:0b6f6c1e-2d3a-4c5b-9e8f-7a6b5c4d3e2f"


def _post(**fields: Any) -> dict[str, Any]:
    activity: dict[str, Any] = {
        "type": "message",
        "id": "1700000000123",
        "conversation": {"id": f"{CHANNEL};messageid=1700000000123"},
        "from": {"id": "29:1", "aadObjectId": "8d2f1c4e-0b3a-4f6e-9c7d-1a2b3c4d5e6f"},
        "recipient": {"id": BOT, "name": "School posts"},
    }
    activity.update(fields)
    return activity


def test_a_top_level_post_and_its_ref() -> None:
    post = _post()
    assert is_top_level(post)
    assert message_ref(post) == MessageRef(CHANNEL, "1700000000123")
    # Delivered with the bare channel id, as some events are: the same ref.
    assert message_ref(_post(conversation={"id": CHANNEL})) == MessageRef(CHANNEL, "1700000000123")


def test_replies_are_not_top_level() -> None:
    assert not is_top_level(_post(replyToId="1700000000001"))
    assert not is_top_level(_post(conversation={"id": f"{CHANNEL};messageid=1700000000001"}))
    assert message_ref(_post(id=None)) is None


def test_files_pasted_photos_file_cards_and_what_is_not_a_file() -> None:
    url = "https://smba.trafficmanager.net/emea/v3/attachments/0-weu-d1-abc/views/original"
    attachments = [
        {"contentType": "text/html", "content": "<p>hi</p>"},
        {"contentType": "image/*", "contentUrl": url, "name": "image.png"},
        {"contentType": "image/*", "contentUrl": url + "2"},
        {
            "contentType": FILE_CARD,
            "name": "trip.jpg",
            "content": {"downloadUrl": "https://school.sharepoint.com/x", "uniqueId": "u-1"},
        },
        {"contentType": FILE_CARD, "name": "letter.pdf", "content": {"downloadUrl": "https://s/p"}},
        {"contentType": FILE_CARD, "name": "no-url.jpg", "content": {}},
        {"contentType": "application/vnd.microsoft.card.adaptive", "content": {}},
    ]
    assert files_of(_post(attachments=attachments)) == (
        ChatFile(id=url, name="image.png", mimetype="image/png", url=url),
        ChatFile(id=url + "2", name="photo", mimetype="", url=url + "2"),  # read from bytes
        ChatFile(
            id="u-1", name="trip.jpg", mimetype="image/jpeg", url="https://school.sharepoint.com/x"
        ),
        ChatFile(
            id="https://s/p", name="letter.pdf", mimetype="application/pdf", url="https://s/p"
        ),
    )


def test_the_text_drops_the_bots_mention_and_keeps_the_source() -> None:
    html = "<p><at>School posts</at> Fish &amp; chips&nbsp;on Friday</p>"
    entities = [{"type": "mention", "text": "<at>School posts</at>", "mentioned": {"id": BOT}}]
    message = incoming(_post(text=html, entities=entities), MessageRef(CHANNEL, "1"))
    assert message.text == "Fish & chips on Friday"
    assert message.source_text == html
    assert message.user == "8d2f1c4e-0b3a-4f6e-9c7d-1a2b3c4d5e6f"


def test_background_work_runs_in_order_per_key() -> None:
    seen: list[str] = []
    first_started = threading.Event()
    release = threading.Event()
    other_done = threading.Event()

    def slow() -> None:
        first_started.set()
        assert release.wait(10)
        seen.append("receive")

    async def main() -> Background:
        background = Background()
        background.run("message-1", slow, "receive")
        background.run("message-1", lambda: seen.append("edit"), "edit")
        background.run("message-2", lambda: (seen.append("other"), other_done.set()), "other")
        await asyncio.to_thread(first_started.wait, 10)
        await asyncio.to_thread(other_done.wait, 10)  # another message is not held up
        release.set()
        await background.drain()
        return background

    background = asyncio.run(main())
    background.wait_idle(timeout=1)
    assert seen == ["other", "receive", "edit"]
