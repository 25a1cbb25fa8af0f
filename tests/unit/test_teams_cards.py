"""Teams' approval card and reply-chain cards: valid Adaptive Cards 1.5, the contract's verbs and
data exactly, buttons by state, staff text shown literally, pupils' names only where they belong."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest

from chatbot.adapters.teams import cards, home_card, replies
from chatbot.adapters.teams.elements import MESSAGE_LIMIT, Mentions, TeamsCard, inert, md_escape
from chatbot.adapters.teams.thumbnails import BUDGET, thumbnail_uri
from chatbot.domain.drafts import DraftState
from chatbot.domain.findings import Finding, Severity, Verdict
from chatbot.services.draft_view import DraftView, PhotoView, PupilView
from chatbot.services.home import DraftLine, HomeData
from chatbot.services.name_questions import ClearedName
from tests.card_views import NOW, draft_view
from tests.conftest import PHOTOS
from tests.fixtures.adaptive_cards import inputs, of_type, schema_errors, shown_text, verbs, walk

AUTHOR = "00000000-0000-0000-0000-0000000a0001"
SLT = "00000000-0000-0000-0000-00000000517a"
NAMES = {AUTHOR: "Ann Teacher", SLT: "Sam Head"}


def view(**changes: Any) -> DraftView:
    return draft_view(AUTHOR, **changes)


def valid(card: TeamsCard) -> dict[str, Any]:
    content = card.content
    assert schema_errors(content) == []
    assert content["$schema"] == "http://adaptivecards.io/schemas/adaptive-card.json"
    assert content["version"] == "1.5"
    assert card.attachment()["contentType"] == "application/vnd.microsoft.card.adaptive"
    assert card.text
    assert card.size() <= MESSAGE_LIMIT
    inputs(content)  # ids unique
    for entity in content["msteams"].get("entities", []):  # every mention is in the text
        assert entity["text"] in json.dumps(content["body"], ensure_ascii=False)
    return content


def render(v: DraftView, **kwargs: Any) -> dict[str, Any]:
    return valid(cards.draft_card(v, now=NOW, names=NAMES, **kwargs))


def execute(card: dict[str, Any], verb: str) -> dict[str, Any]:
    (action,) = [a for a in of_type(card, "Action.Execute") if a["verb"] == verb]
    return action


def form_of(card: dict[str, Any], verb: str) -> dict[str, Any]:
    """The ShowCard whose card holds the button with `verb`."""
    (show,) = [s for s in of_type(card, "Action.ShowCard") if verb in verbs(s["card"])]
    return show


TEXTSPEAK = Finding(
    "textspeak", Severity.BLOCK, "gr8 is text language", "no text language", "gr8", overridable=True
)
CONSENT = Finding("photo-consent", Severity.BLOCK, "no consent", "clause", "", overridable=False)
SPELLING = Finding(
    "spelling", Severity.WARN, "color: colour", "grammatically correct", "color", overridable=True
)


@pytest.mark.parametrize("state", list(DraftState))
def test_every_state_is_a_valid_card_with_the_buttons_slack_has(state: DraftState) -> None:
    v = view(
        state=state,
        decided_by=SLT,
        decided_at=NOW,
        not_before=NOW + timedelta(days=8),
        post_url="https://x.com/HuntsCrossPri/status/1",
        reason="Lovely",
    )
    card = render(v)
    expected = {
        DraftState.PENDING_APPROVAL: ["draft_approve", "draft_schedule", "draft_reject"],
        DraftState.SCHEDULED: ["draft_cancel_schedule"],
        DraftState.PUBLISHED: ["draft_takedown"],
        DraftState.FAILED: ["draft_retry"],
        DraftState.NEEDS_REVIEW: ["draft_mark_published", "draft_retry"],
        DraftState.NEEDS_CHANGES: ["draft_reject"],  # no finding allows an override
    }.get(state, [])
    assert verbs(card) == expected
    for action in of_type(card, "Action.Execute"):
        assert action["data"] == {"draft": "7"}


def test_approve_reject_override_carry_the_contract_data_and_the_reason_input() -> None:
    card = render(view())
    assert execute(card, "draft_approve")["data"] == {"draft": "7"}
    reject = form_of(card, "draft_reject")
    assert list(inputs(reject["card"])) == ["reason"]
    reason = inputs(reject["card"])["reason"]
    assert reason["type"] == "Input.Text"
    assert reason["isRequired"] is True
    schedule = form_of(card, "draft_schedule")
    assert set(inputs(schedule["card"])) == {"post_date", "post_time"}
    assert inputs(schedule["card"])["post_date"]["value"] == "2026-11-26"  # tomorrow, London


def test_a_blocked_draft_has_no_approve_and_override_only_where_allowed() -> None:
    overridable = render(view(state=DraftState.NEEDS_CHANGES, verdict=Verdict.of([TEXTSPEAK])))
    assert verbs(overridable) == ["draft_override", "draft_reject"]
    (form,) = of_type(overridable, "Action.ShowCard")
    assert list(inputs(form["card"])) == ["reason"]  # one reason for both
    assert execute(overridable, "draft_override")["data"] == {"draft": "7"}
    never = render(view(state=DraftState.NEEDS_CHANGES, verdict=Verdict.of([TEXTSPEAK, CONSENT])))
    assert verbs(never) == ["draft_reject"]
    assert "cannot be overridden" in shown_text(never)
    # A blocking finding on a pending draft (a race): still no approve.
    pending = render(view(verdict=Verdict.of([TEXTSPEAK])))
    assert "draft_approve" not in verbs(pending)


def test_findings_show_severity_rule_message_clause_and_length() -> None:
    card = render(
        view(verdict=Verdict.of([SPELLING, TEXTSPEAK]), weighted_length=290, has_link=True)
    )
    text = shown_text(card)
    assert text.index("Must change") < text.index("Worth checking")
    for part in ("gr8 is text language", "no text language", "textspeak", "color: colour"):
        assert part in text
    assert "290/280 characters" in text
    assert "a post with a link costs more on X" in text


def test_the_length_is_held_to_the_publishers_limit_not_a_fixed_one() -> None:
    roomy = shown_text(render(view(weighted_length=290, max_length=500)))
    assert "290/500 characters" in roomy
    assert "⛔" not in roomy
    assert "⛔ 290/280" in shown_text(render(view(weighted_length=290)))


def test_state_and_who_decided_is_a_mention_of_the_decider() -> None:
    card = render(view(state=DraftState.REJECTED, decided_by=SLT, decided_at=NOW, reason="No *"))
    entities = card["msteams"]["entities"]
    assert {e["mentioned"]["id"] for e in entities} == {AUTHOR, SLT}
    assert "Not approved by <at>Sam Head</at> at Wed 25 Nov 2026, 10:42" in shown_text(card)
    (reason,) = [r for r in of_type(card, "TextRun") if r["text"] == "No *"]
    assert reason  # the reason is a run: shown as typed


def test_an_unknown_person_is_still_mentioned_under_a_neutral_label() -> None:
    card = valid(cards.draft_card(view(), now=NOW))
    (entity,) = card["msteams"]["entities"]
    assert entity == {
        "type": "mention",
        "text": "<at>the author</at>",
        "mentioned": {"id": AUTHOR, "name": "the author"},
    }


def test_staff_text_is_shown_literally() -> None:
    tricky = "*Bold* _it_ [click](https://evil.example) <at>Sam Head</at> # 1. - x \\"
    card = render(view(text=tricky, reason=tricky, state=DraftState.REJECTED, decided_by=SLT))
    runs = [r["text"] for r in of_type(card, "TextRun")]
    assert inert(tricky) in runs  # the post, in a run (no Markdown there)
    for block in of_type(card, "TextBlock"):
        assert "[click]" not in block["text"]
        assert "*Bold*" not in block["text"]
    # The typed <at> is broken, so Teams cannot turn it into a mention of Sam.
    assert "<at>Sam Head</at>" not in " ".join(runs)
    assert "<\u200bat>Sam Head</\u200bat>" in runs[runs.index(inert(tricky))]


def test_markdown_escape() -> None:
    assert md_escape("*a* _b_ [c](d) `e` ~f~") == r"\*a\* \_b\_ \[c\]\(d\) \`e\` \~f\~"
    assert md_escape("- one\n2. two\n+ three") == "\\- one\n2\\. two\n\\+ three"
    assert md_escape("<AT>x</At>") == "<\u200bAT>x</\u200bAt>"
    assert md_escape("plain 3.5 - fine") == "plain 3.5 - fine"


def test_a_display_name_cannot_break_out_of_its_mention() -> None:
    mention = Mentions({"u1": "Eve</at> **x** <at>", "u2": "Eve"})
    first = mention("u1")
    assert first == "<at>Eve/at x at</at>"
    assert mention("u1") == first  # one entity per person
    assert mention("u2") == "<at>Eve</at>"
    assert len(mention.entities) == 2


def four_photo_view(**changes: Any) -> DraftView:
    photos = tuple(
        PhotoView(n, f"p{n}.jpg", f"Photo *{n}* of the [garden]", None, True) for n in range(4)
    )
    base = view(
        photos=photos,
        declared=True,
        photo_source="staff",
        pictured=(PupilView("Zoë Smith (Year 4)", True), PupilView("Tom Jones (Year 4)", False)),
    )
    return replace(base, **changes)


def test_a_four_photo_draft_with_thumbnails_fits_a_teams_message() -> None:
    sources = sorted(PHOTOS.glob("*.jpg"))
    thumbs = {n: thumbnail_uri(sources[n % len(sources)].read_bytes()) for n in range(4)}
    assert all(t and len(t) <= BUDGET for t in thumbs.values())
    v = four_photo_view(verdict=Verdict.of([SPELLING, TEXTSPEAK]), state=DraftState.NEEDS_CHANGES)
    card_ = cards.draft_card(
        v, now=NOW, names=NAMES, thumbnails={k: t for k, t in thumbs.items() if t}
    )
    card = valid(card_)
    images = of_type(card, "Image")
    assert [i["url"] for i in images] == [thumbs[n] for n in range(4)]
    assert all(i["url"].startswith("data:image/jpeg;base64,") for i in images)
    assert images[0]["altText"] == "Photo *0* of the [garden]"
    text = shown_text(card)
    assert "Zoë Smith (Year 4)" in text
    assert "NO consent" in text
    assert "Taken by staff" in text
    # Measured: four thumbnails and the rest of the card, as the activity that is sent.
    assert card_.size() < MESSAGE_LIMIT
    print(f"4-photo approval card: {card_.size()} bytes of {MESSAGE_LIMIT}")


def test_pupils_names_stay_out_of_the_notification_text() -> None:
    v = four_photo_view(cleared=(ClearedName("Frank", SLT),))
    for card in (
        cards.draft_card(v, now=NOW, names=NAMES),
        replies.checks_reply(v, ["A notice"], names=NAMES),
    ):
        valid(card)
        assert "Zoë" not in card.text
        assert "Zoë" not in card.content.get("fallbackText", "")


def test_photo_problems_and_too_many_files() -> None:
    photos = (
        PhotoView(0, "a.heic", "", "could not be read", False),
        *(PhotoView(n, f"{n}.jpg", "", None, True) for n in range(1, 6)),
    )
    card = render(view(photos=photos))
    text = shown_text(card)
    assert "6 files shared; a post takes at most 4 photos." in text
    assert "Photo 1 (a.heic): could not be read" in text
    assert "Photo 5: no description yet" in text
    assert "Photo 6" not in text
    assert "Nobody has said yet who is in the photos." in text


def test_cleared_names_show_who_said_so() -> None:
    card = render(view(cleared=(ClearedName("Frank_*", SLT),)))
    assert r"'Frank\_\*': not a pupil, said by <at>Sam Head</at>" in shown_text(card)


def test_published_dry_run_and_link() -> None:
    card = render(
        view(state=DraftState.PUBLISHED, post_url="https://x.com/a/status/1", decided_by=SLT),
        dry_run=True,
    )
    text = shown_text(card)
    assert "[https://x\\.com/a/status/1](https://x.com/a/status/1)" not in text  # no dot escaping
    assert "(https://x.com/a/status/1)" in text
    assert "Dry run" in text
    takedown = form_of(card, "draft_takedown")
    assert list(inputs(takedown["card"])) == ["reason"]


# -- the reply chain ---------------------------------------------------------------------------


def declare_actions(card: dict[str, Any]) -> list[dict[str, Any]]:
    return [a for a in of_type(card, "Action.Submit") if a["data"].get("verb") == "draft_declare"]


def test_awaiting_declaration_reply_opens_the_dialog_and_mentions_the_author() -> None:
    v = four_photo_view(state=DraftState.AWAITING_DECLARATION, pictured=())
    card = valid(replies.checks_reply(v, names=NAMES))
    (button,) = declare_actions(card)
    assert button["data"] == {
        "msteams": {"type": "task/fetch"},
        "verb": "draft_declare",
        "draft": "7",
    }
    assert "<at>Ann Teacher</at> Before SLT see it" in shown_text(card)
    assert card["msteams"]["entities"][0]["mentioned"]["id"] == AUTHOR


@pytest.mark.parametrize(
    ("state", "change_button", "words"),
    [
        (DraftState.NEEDS_CHANGES, True, "Edit your draft"),
        (DraftState.PENDING_APPROVAL, True, "waiting for approval by SLT"),
        (DraftState.APPROVED, False, "Looks good"),
    ],
)
def test_checks_reply_by_state(state: DraftState, change_button: bool, words: str) -> None:
    verdict = Verdict.of([TEXTSPEAK]) if state is DraftState.NEEDS_CHANGES else Verdict()
    card = valid(replies.checks_reply(four_photo_view(state=state, verdict=verdict), ["Hi *x*"]))
    assert words in shown_text(card)
    assert bool(declare_actions(card)) is change_button
    assert "Hi *x*" in [r["text"] for r in of_type(card, "TextRun")]
    assert verbs(card) == []


def test_every_object_in_the_card_is_json() -> None:
    card = render(four_photo_view())
    assert json.loads(json.dumps(card)) == card
    assert all(isinstance(n, dict) for n in walk(card))


# -- the personal chat's home card -------------------------------------------------------------


def line(n: int, state: DraftState, **changes: Any) -> DraftLine:
    base = DraftLine(
        id=n,
        state=state,
        author_id=AUTHOR,
        text="Sports day *today* [x](y)",
        created_at=NOW - timedelta(hours=2),
        not_before=None,
        decided_by=None,
        decided_at=None,
        reason=None,
        post_url=None,
    )
    return replace(base, **changes)


def test_home_card_for_slt_and_for_staff() -> None:
    data = HomeData(
        user_id=SLT,
        is_slt=True,
        now=NOW,
        review_date=date(2026, 9, 1),
        pending=tuple(line(n, DraftState.PENDING_APPROVAL) for n in range(20)),
        decisions=(line(30, DraftState.REJECTED, decided_by=SLT, decided_at=NOW),),
        own=(line(31, DraftState.POSTED, text=""),),
        network="X",
    )
    card = valid(home_card.home_card(data, names=NAMES))
    text = shown_text(card)
    assert "the review is overdue" in text
    assert "#0 by <at>Ann Teacher</at>, waiting 2 h" in text
    assert "… and 5 more." in text
    assert "#30 not approved by <at>Sam Head</at> at Wed 25 Nov 2026, 10:42" in text
    assert "No posts are scheduled." in text
    assert "(photos only)" in text
    assert "Sports day *today* [x](y)" in [r["text"] for r in of_type(card, "TextRun")]
    staff = replace(data, is_slt=False, review_date=date(2027, 9, 1))
    staff_text = shown_text(valid(home_card.home_card(staff)))
    assert "Waiting for approval" not in staff_text
    assert "next due for review on Wed 1 Sep 2027" in staff_text


def test_thumbnails_are_small_jpegs_or_none() -> None:
    assert thumbnail_uri(b"not an image") is None
    uri = thumbnail_uri((PHOTOS / "group-four-faces.jpg").read_bytes(), budget=3000)
    assert uri is not None
    assert len(uri) <= 3000
    assert thumbnail_uri((PHOTOS / "no-face.jpg").read_bytes(), budget=100) is None
