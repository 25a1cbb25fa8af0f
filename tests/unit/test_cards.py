"""Block Kit built from domain data: every state renders, buttons follow the rules."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from chatbot.adapters.slack import cards
from chatbot.domain.drafts import DraftState
from chatbot.domain.findings import Finding, Severity, Verdict
from chatbot.services.draft_view import DraftView, PhotoView, PupilView
from chatbot.services.home import DraftLine, HomeData
from tests.card_views import NOW, draft_view


def view(**changes: Any) -> DraftView:
    return draft_view("U0STAFF01", **changes)


def render(v: DraftView, dry_run: bool = False) -> tuple[str, list[dict[str, Any]]]:
    card = cards.draft_card(v, now=NOW, dry_run=dry_run)
    blocks = card.blocks_json()  # validates Slack's limits
    assert card.text
    assert len(blocks) <= 50
    return card.text, blocks


def buttons(blocks: list[dict[str, Any]]) -> list[str]:
    return [e["action_id"] for b in blocks if b["type"] == "actions" for e in b["elements"]]


TEXTSPEAK = Finding(
    "textspeak", Severity.BLOCK, "gr8 is text language", "no text language", "gr8", overridable=True
)
OFFENSIVE = Finding("offensive", Severity.BLOCK, "offensive", "clause", "x", overridable=True)
CONSENT = Finding("photo-consent", Severity.BLOCK, "no consent", "clause", "", overridable=False)
SPELLING = Finding(
    "spelling", Severity.WARN, "color: colour", "grammatically correct", "color", overridable=True
)


@pytest.mark.parametrize(
    ("state", "expected_buttons", "words"),
    [
        (
            DraftState.PENDING_APPROVAL,
            ["draft_approve", "draft_schedule", "draft_reject"],
            "Waiting for approval",
        ),
        (DraftState.APPROVED, [], "Approved by <@U0SLT0001>"),
        (DraftState.SCHEDULED, ["draft_cancel_schedule"], "Thu 3 Dec 2026, 08:30"),
        (DraftState.PUBLISHING, [], "Posting to X"),
        (DraftState.PUBLISHED, ["draft_takedown"], "https://x.com/HuntsCrossPri/status/1"),
        (DraftState.FAILED, ["draft_retry"], "failed"),
        (DraftState.NEEDS_REVIEW, ["draft_mark_published", "draft_retry"], "Mark as published"),
        (DraftState.DELETED, [], "Deleted from X"),
        (DraftState.REJECTED, [], "Reason: Too &lt;vague&gt;"),
        (DraftState.WITHDRAWN, [], "Withdrawn"),
        (DraftState.AWAITING_DECLARATION, [], "who is in the photos"),
    ],
)
def test_every_state_renders(state: DraftState, expected_buttons: list[str], words: str) -> None:
    v = view(
        state=state,
        decided_by="U0SLT0001",
        decided_at=NOW,
        reason="Too <vague>" if state is DraftState.REJECTED else None,
        not_before=datetime(2026, 12, 3, 8, 30, tzinfo=UTC),
        post_url="https://x.com/HuntsCrossPri/status/1",
    )
    _text, blocks = render(v)
    assert buttons(blocks) == expected_buttons
    assert words in repr(blocks)


def test_approve_has_a_confirm_dialog_and_the_draft_id_as_value() -> None:
    _text, blocks = render(view())
    approve = next(
        e
        for b in blocks
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == "draft_approve"
    )
    assert approve["value"] == "7"
    assert approve["confirm"]["title"]["text"]


def test_dry_run_is_said() -> None:
    _text, blocks = render(
        view(state=DraftState.PUBLISHED, post_url="https://x.com/s/status/1"), dry_run=True
    )
    assert "Dry run" in repr(blocks)


def test_blocked_draft_never_gets_approve_and_override_follows_the_rules() -> None:
    _t, blocks = render(
        view(state=DraftState.NEEDS_CHANGES, verdict=Verdict.of([TEXTSPEAK, SPELLING]))
    )
    assert buttons(blocks) == ["draft_override", "draft_reject"]
    for never in (OFFENSIVE, CONSENT):
        _t, blocks = render(
            view(state=DraftState.NEEDS_CHANGES, verdict=Verdict.of([TEXTSPEAK, never]))
        )
        assert buttons(blocks) == ["draft_reject"], never.rule
    # Even a pending draft with a blocking finding (consent withdrawn since) has no approve.
    _t, blocks = render(view(verdict=Verdict.of([CONSENT])))
    assert "draft_approve" not in buttons(blocks)


def test_card_shows_text_photos_pupils_findings_length_and_link() -> None:
    v = view(
        photos=(
            PhotoView(0, "a.jpg", "Children planting bulbs", None, True, file_id="F0PHOTO01"),
            PhotoView(1, "letter.pdf", "", "letter.pdf is a PDF", False, file_id="F0PDF0001"),
        ),
        declared=True,
        pictured=(PupilView("Zoë Smith (Year 4)", True), PupilView("Summer Jones (Year 2)", False)),
        verdict=Verdict.of([CONSENT, SPELLING]),
        weighted_length=301,
        has_link=True,
    )
    text, blocks = render(v)
    dump = repr(blocks)
    rich = next(b for b in blocks if b["type"] == "rich_text")
    assert (
        rich["elements"][0]["elements"][0]["text"] == "Fish & chips <3 for Year 4"
    )  # exactly as posted
    assert "&lt;3" in text  # the fallback is mrkdwn: escaped
    image = next(b for b in blocks if b["type"] == "image")
    assert image["slack_file"] == {"id": "F0PHOTO01"}
    assert image["alt_text"] == "Children planting bulbs"
    assert "letter.pdf is a PDF" in dump
    assert "Zoë Smith (Year 4) ✅ consent" in dump
    assert "Summer Jones (Year 2) ⛔ NO consent" in dump
    assert dump.index("Must change") < dump.index("Worth checking")
    assert "Policy: grammatically correct" in dump
    assert "301/280" in dump
    assert "a post with a link costs more on X" in dump


def test_many_long_findings_stay_within_slack_limits() -> None:
    findings = [
        Finding("spelling", Severity.WARN, "w" * 500 + " & <x>", "c" * 900, "e" * 400)
        for _ in range(200)
    ]
    _t, blocks = render(view(text="x" * 10_000, verdict=Verdict.of(findings)))
    assert "&amp; &lt;x&gt;" in repr(blocks)


def test_checks_reply_and_declare_modal() -> None:
    v = view(
        state=DraftState.AWAITING_DECLARATION,
        photos=(PhotoView(0, "a.jpg", "", None, True, file_id="F1"),),
    )
    reply = cards.checks_reply(v, ["The @mentions were left out."])
    dump = repr(reply.blocks_json())
    assert "draft_declare" in dump
    assert f"<@{v.author_id}> Before SLT see it" in dump  # a /tweet draft's author is told too
    assert "Looks good" in dump
    assert "mentions were left out" in dump
    modal = cards.declare_modal(
        7, 2, alt_texts=("a cup", ""), initial_pupils=[(3, "Zoë Smith")]
    ).to_dict()
    ids = [b["block_id"] for b in modal["blocks"]]
    assert ids == ["pictured_pupils", "no_pupils", "alt_text_0", "alt_text_1", "photo_source"]
    assert modal["callback_id"] == "declare_photos"
    assert modal["private_metadata"] == "7"
    assert modal["blocks"][2]["element"]["initial_value"] == "a cup"


def test_home_view_for_slt_and_staff() -> None:
    line = DraftLine(
        1,
        DraftState.PENDING_APPROVAL,
        "U0STAFF01",
        "Sports <day>",
        NOW - timedelta(hours=5),
        None,
        None,
        None,
        None,
        None,
    )
    slt = cards.home_view(
        HomeData("U0SLT0001", True, NOW, date(2021, 12, 1), pending=(line,), own=(), network="X")
    ).to_dict()
    dump = repr(slt["blocks"])
    assert "overdue" in dump
    assert "waiting 5 h" in dump
    assert "Sports &lt;day&gt;" in dump
    staff = cards.home_view(
        HomeData("U0STAFF01", False, NOW, date(2027, 1, 1), own=(line,), network="X")
    ).to_dict()
    dump = repr(staff["blocks"])
    assert "overdue" not in dump
    assert "Waiting for approval" not in dump
    assert "waiting for SLT" in dump


def test_home_never_says_queued_for_a_post_that_may_be_live() -> None:
    line = DraftLine(
        2, DraftState.APPROVED, "U0STAFF01", "Sports day", NOW, None, "U0SLT0001", NOW, None, None
    )
    queued = repr(
        cards.home_view(
            HomeData("U0STAFF01", False, NOW, date(2027, 1, 1), own=(line,), network="X")
        ).to_dict()
    )
    assert "approved, queued for X" in queued
    unsure = replace(line, post_unconfirmed=True)
    shown = repr(
        cards.home_view(
            HomeData("U0STAFF01", False, NOW, date(2027, 1, 1), own=(unsure,), network="X")
        ).to_dict()
    )
    assert "queued" not in shown
    assert "may already be posted" in shown
