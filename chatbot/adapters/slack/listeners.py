"""Bolt listeners: read Slack's payload, call a service, answer. Nothing else.

Every interaction is acknowledged at once (modals right after, while the trigger id lives) and
every listener catches its own errors, so one bad payload never stops the bot serving others.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, time
from typing import Any, TypeVar

from slack_bolt import Ack, App
from slack_sdk import WebClient
from sqlalchemy.orm import Session, sessionmaker

from chatbot.adapters.db.db import transaction
from chatbot.adapters.db.models import utcnow
from chatbot.adapters.db.repositories import StaleState
from chatbot.adapters.slack import cards
from chatbot.adapters.slack.gateway import SlackGateway
from chatbot.adapters.slack.markup import to_post_text
from chatbot.adapters.slack.payloads import (
    action_value,
    channel_of,
    text_value,
    user_of,
    view_values,
)
from chatbot.adapters.slack.slt import SltDirectory
from chatbot.domain.academic_year import LONDON, AcademicYear
from chatbot.domain.drafts import DraftState
from chatbot.policy.model import Policy
from chatbot.services import approval, home, intake
from chatbot.services import publishing as publishing_service
from chatbot.services.chat_text import escape
from chatbot.services.failures import log_failure
from chatbot.services.ports import ChatFile, MessageRef
from chatbot.services.registers import search_pupils
from chatbot.settings import Settings

log = logging.getLogger(__name__)

F = TypeVar("F", bound=Callable[..., None])

# Checked here too so a wrong link is an inline error, not a closed form and a refusal.
_STATUS_URL = re.compile(r"^https://(?:www\.|mobile\.)?(?:x|twitter)\.com/[^/\s]+/status/\d{1,19}")


@dataclass(frozen=True, slots=True)
class Deps:
    settings: Settings
    sessions: sessionmaker[Session]
    gateway: SlackGateway
    slt: SltDirectory
    policy: Policy


SORRY = "Sorry, something went wrong and nothing was saved. Please try again in a minute."


def guarded(func: F) -> F:
    """Log a listener's exception instead of letting it reach Bolt (and lose the next ack).

    If it failed before answering Slack, answer now: a form left unanswered shows Slack's own
    vague error, so the person gets ours instead.
    """

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        try:
            func(*args, **kwargs)
        except Exception as exc:
            log_failure(log, f"listener {func.__name__}", exc)
            ack = kwargs.get("ack")
            if isinstance(ack, Ack) and ack.response is None:
                if (kwargs.get("body") or {}).get("type") == "view_submission":
                    ack(response_action="update", view=cards.notice_modal("Not saved", SORRY))
                else:
                    ack()

    return wrapper  # type: ignore[return-value]


# -- messages ----------------------------------------------------------------------------------


def _files(message: dict[str, Any]) -> tuple[ChatFile, ...]:
    out = []
    for f in message.get("files") or ():
        if not isinstance(f, dict) or not f.get("id"):
            continue
        size = f.get("size")
        out.append(
            ChatFile(
                id=str(f["id"]),
                name=str(f.get("name") or f.get("title") or ""),
                mimetype=str(f.get("mimetype") or ""),
                size=int(size) if isinstance(size, int) else None,
                url=f.get("url_private_download") or f.get("url_private"),
            )
        )
    return tuple(out)


def _incoming(channel: str, message: dict[str, Any]) -> intake.IncomingMessage:
    source = str(message.get("text") or "")
    converted = to_post_text(source)
    return intake.IncomingMessage(
        ref=MessageRef(channel, str(message["ts"])),
        user=str(message.get("user") or ""),
        source_text=source,
        text=converted.text,
        notices=converted.notices,
        files=_files(message),
    )


SLACKBOT = "USLACKBOT"  # Slack's own user: tombstones, reminders


def _is_staff_draft(message: dict[str, Any], bot_user: str | None) -> bool:
    """A person's top-level message: not a bot, not us, not a reply in a thread."""
    if message.get("bot_id") or message.get("subtype") in (
        "bot_message",
        "thread_broadcast",
        "tombstone",
    ):
        return False
    user = message.get("user")
    if not user or user in (bot_user, SLACKBOT):
        return False
    thread_ts = message.get("thread_ts")
    return not thread_ts or thread_ts == message.get("ts")


def register_messages(app: App, deps: Deps) -> None:
    @app.event("message")
    @guarded
    def on_message(event: dict[str, Any], context: dict[str, Any], client: WebClient) -> None:
        channel = str(event.get("channel") or "")
        if not channel or channel != deps.settings.drafts_channel:
            return
        subtype = event.get("subtype")
        bot_user = context.get("bot_user_id")
        if subtype in (None, "file_share"):
            if not _is_staff_draft(event, bot_user):
                return
            try:  # the 👀 first: the author sees at once that the bot has it
                client.reactions_add(channel=channel, timestamp=event["ts"], name="eyes")
            except Exception as exc:
                log.info("could not add the reaction: %s", type(exc).__name__)
            intake.receive(deps.sessions, deps.gateway, deps.policy, _incoming(channel, event))
        elif subtype == "message_changed":
            message = event.get("message") or {}
            if message.get("subtype") == "tombstone" and message.get("ts"):
                # A message with thread replies (every draft has ours) is not deleted but
                # replaced by a tombstone, "This message was deleted.": a deletion all the same.
                _withdraw(deps, channel, str(message["ts"]), event)
            elif message.get("ts") and _is_staff_draft(message, bot_user):
                intake.edit(deps.sessions, deps.gateway, deps.policy, _incoming(channel, message))
        elif subtype == "message_deleted" and event.get("deleted_ts"):
            _withdraw(deps, channel, str(event["deleted_ts"]), event)


def _withdraw(deps: Deps, channel: str, ts: str, event: dict[str, Any]) -> None:
    # Who deleted it is not in the event; the audit row names the message's author.
    author = str((event.get("previous_message") or {}).get("user") or "")
    actor = author if author and author != SLACKBOT else "unknown"
    intake.withdraw(deps.sessions, deps.gateway, MessageRef(channel, ts), actor)


# -- the photo declaration ---------------------------------------------------------------------


def _alt_texts(values: dict[str, dict[str, Any]]) -> tuple[str, ...]:
    """The `alt_text_<n>` inputs in photo order, by number: a gap counts as an empty one."""
    numbers = [
        int(key.removeprefix("alt_text_"))
        for key in values
        if key.startswith("alt_text_") and key.removeprefix("alt_text_").isdigit()
    ]
    count = min(max(numbers, default=-1) + 1, intake.MAX_PHOTOS)
    return tuple(text_value(values, f"alt_text_{n}") for n in range(count))


def register_declaration(app: App, deps: Deps) -> None:
    @app.action("draft_declare")
    @guarded
    def open_declaration(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        user = user_of(body)
        draft_id = approval.parse_draft_id(action_value(body))
        form = intake.declaration_form(deps.sessions, draft_id) if draft_id else None
        if draft_id is None or form is None:
            deps.gateway.ephemeral(channel_of(body), user, "This draft can no longer be changed.")
            return
        if not intake.may_declare(deps.sessions, draft_id, user, deps.slt.is_slt(user)):
            deps.gateway.ephemeral(
                channel_of(body),
                user,
                "Only the author of the draft (or SLT) can say who is in it.",
            )
            return
        declared = form.declaration
        view = cards.declare_modal(
            draft_id,
            form.photo_count,
            alt_texts=declared.alt_texts,
            initial_pupils=form.pupils,
            no_pupils=declared.no_pupils,
            source=declared.source,
        )
        client.views_open(trigger_id=body["trigger_id"], view=view)

    @app.options("pictured_pupils")
    @guarded
    def suggest_pupils(ack: Ack, body: dict[str, Any]) -> None:
        query = str(body.get("value") or "").strip()
        year = AcademicYear.at(utcnow())
        with transaction(deps.sessions) as session:
            pupils = search_pupils(session, query, year, limit=20) if query else []
        ack(
            options=[
                {"text": {"type": "plain_text", "text": p.label[:75]}, "value": str(p.id)}
                for p in pupils
                if p.id is not None
            ]
        )

    @app.view("declare_photos")
    @guarded
    def submit_declaration(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        user = user_of(body)
        draft_id = approval.parse_draft_id(view.get("private_metadata"))
        if draft_id is None:
            ack(response_action="errors", errors={"pictured_pupils": "This form is out of date."})
            return
        values = view_values(view)
        chosen = [
            str(o.get("value", ""))
            for o in (values.get("pictured_pupils") or {}).get("selected_options") or ()
        ]
        pupil_ids = tuple(int(v) for v in chosen if v.isascii() and v.isdigit())
        if len(pupil_ids) != len(chosen):  # not one of the options the search offered
            ack(response_action="errors", errors={"pictured_pupils": intake.NOT_ON_REGISTER})
            return
        no_pupils = bool((values.get("no_pupils") or {}).get("selected_options"))
        alt_texts = _alt_texts(values)
        source = ((values.get("photo_source") or {}).get("selected_option") or {}).get("value")
        result = intake.declare(
            deps.sessions,
            deps.policy,
            draft_id,
            user,
            intake.Declaration(pupil_ids, no_pupils, alt_texts, source),
            is_slt=deps.slt.is_slt(user),
        )
        if result.ok:
            ack()
        else:
            ack(response_action="errors", errors=result.errors)
        if result.stored:
            intake.announce(deps.gateway, draft_id)


# -- SLT's decisions ---------------------------------------------------------------------------


def _refuse(deps: Deps, body: dict[str, Any], answer: approval.Answer) -> None:
    if not answer.ok:
        channel = channel_of(body) or deps.settings.approvals_channel
        deps.gateway.ephemeral(channel, user_of(body), answer.message)


def _reason_submission(
    app: App, deps: Deps, callback_id: str, decide: Callable[[object, str, str], Any]
) -> None:
    @app.view(callback_id)
    @guarded
    def submit(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        reason = text_value(view_values(view), "reason").strip()
        if not reason:
            ack(response_action="errors", errors={"reason": "Please give a reason."})
            return
        ack()
        answer = decide(view.get("private_metadata"), user_of(body), reason)
        if isinstance(answer, approval.Answer):
            _refuse(deps, body, answer)


def register_decisions(app: App, deps: Deps) -> None:
    is_slt = deps.slt.is_slt

    @app.action("draft_approve")
    @guarded
    def on_approve(ack: Ack, body: dict[str, Any]) -> None:
        ack()
        answer = approval.approve(
            deps.sessions,
            deps.gateway,
            deps.policy,
            action_value(body),
            user_of(body),
            is_slt=is_slt,
        )
        _refuse(deps, body, answer)

    def form_opener(
        action_id: str,
        allowed: frozenset[DraftState] | Callable[[object, str], approval.Answer],
        make_view: Callable[[int], Any],
    ) -> None:
        def check(raw: object, user: str) -> approval.Answer:
            if callable(allowed):
                return allowed(raw, user)
            return approval.check_may_decide(deps.sessions, raw, user, is_slt, allowed)

        @app.action(action_id)
        @guarded
        def open_form(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
            ack()
            answer = check(action_value(body), user_of(body))
            draft_id = approval.parse_draft_id(action_value(body))
            if not answer.ok or draft_id is None:
                _refuse(deps, body, answer)
                return
            client.views_open(trigger_id=body["trigger_id"], view=make_view(draft_id))

    form_opener(
        "draft_reject",
        approval.REJECTABLE,
        lambda i: cards.reason_modal(
            "reject_reason",
            i,
            title="Reject draft",
            label="Why? (the author sees this)",
            submit="Reject",
        ),
    )
    form_opener(
        "draft_override",
        lambda raw, user: approval.check_may_override(deps.sessions, raw, user, is_slt),
        lambda i: cards.reason_modal(
            "override_reason",
            i,
            title="Override the checks",
            label="Why may this be posted despite the checks? (kept in the audit log)",
            submit="Approve",
        ),
    )
    form_opener(
        "draft_schedule",
        approval.APPROVABLE,
        lambda i: cards.schedule_modal(i, utcnow().astimezone(LONDON).date()),
    )
    form_opener(
        "draft_takedown",
        frozenset({DraftState.PUBLISHED}),
        lambda i: cards.reason_modal(
            "takedown_reason",
            i,
            title="Delete from X",
            label="Why is the post being taken down? (kept in the audit log)",
            submit="Delete from X",
        ),
    )
    form_opener(
        "draft_mark_published",
        frozenset({DraftState.NEEDS_REVIEW}),
        cards.mark_published_modal,
    )

    def reason_submission(callback_id: str, decide: Callable[[object, str, str], Any]) -> None:
        _reason_submission(app, deps, callback_id, decide)

    reason_submission(
        "reject_reason",
        lambda raw, user, reason: approval.reject(
            deps.sessions, deps.gateway, raw, user, is_slt=is_slt, reason=reason
        ),
    )
    reason_submission(
        "override_reason",
        lambda raw, user, reason: approval.override(
            deps.sessions, deps.gateway, deps.policy, raw, user, is_slt=is_slt, reason=reason
        ),
    )

    @app.view("schedule_post")
    @guarded
    def submit_schedule(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        values = view_values(view)
        try:
            day = date.fromisoformat(str(values["post_date"]["selected_date"]))
            at = time.fromisoformat(str(values["post_time"]["selected_time"]))
        except (KeyError, ValueError, TypeError):
            ack(response_action="errors", errors={"post_date": "Choose a day and a time."})
            return
        when = publishing_service.london_to_utc(day, at)
        if when <= utcnow():
            ack(response_action="errors", errors={"post_time": "Choose a time in the future."})
            return
        ack()
        answer = approval.approve(
            deps.sessions,
            deps.gateway,
            deps.policy,
            view.get("private_metadata"),
            user_of(body),
            is_slt=is_slt,
            not_before=when,
        )
        _refuse(deps, body, answer)


def register_publishing(app: App, deps: Deps) -> None:
    """SLT's buttons for what happens at X: retry, mark as published, take down, cancel."""

    def reason_submission(callback_id: str, decide: Callable[[object, str, str], Any]) -> None:
        _reason_submission(app, deps, callback_id, decide)

    reason_submission(
        "takedown_reason",
        lambda raw, user, reason: _publishing(
            deps,
            raw,
            user,
            frozenset({DraftState.PUBLISHED}),
            lambda i: publishing_service.request_takedown(deps.sessions, i, user, reason),
        ),
    )

    @app.view("mark_published")
    @guarded
    def submit_mark_published(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        url = text_value(view_values(view), "url").strip()
        if not _STATUS_URL.match(url):
            ack(
                response_action="errors",
                errors={"url": "Paste the link to the post, like https://x.com/school/status/1"},
            )
            return
        ack()
        user = user_of(body)
        answer = _publishing(
            deps,
            view.get("private_metadata"),
            user,
            frozenset({DraftState.NEEDS_REVIEW}),
            lambda i: publishing_service.mark_published(deps.sessions, i, user, url),
        )
        _refuse(deps, body, answer)

    def publishing_button(
        action_id: str, allowed: frozenset[DraftState], act: Callable[[int, str], object]
    ) -> None:
        @app.action(action_id)
        @guarded
        def on_click(ack: Ack, body: dict[str, Any]) -> None:
            ack()
            user = user_of(body)
            answer = _publishing(deps, action_value(body), user, allowed, lambda i: act(i, user))
            _refuse(deps, body, answer)

    publishing_button(
        "draft_retry",
        frozenset({DraftState.FAILED, DraftState.NEEDS_REVIEW}),
        lambda i, user: publishing_service.retry(deps.sessions, i, user),
    )
    publishing_button(
        "draft_cancel_schedule",
        frozenset({DraftState.SCHEDULED}),
        lambda i, user: publishing_service.cancel_schedule(deps.sessions, i, user),
    )


def _publishing(
    deps: Deps,
    raw_id: object,
    user: str,
    allowed: frozenset[DraftState],
    act: Callable[[int], object],
) -> approval.Answer:
    """SLT's publishing buttons: the same checks as a decision, then the publishing service."""
    answer = approval.check_may_decide(deps.sessions, raw_id, user, deps.slt.is_slt, allowed)
    draft_id = approval.parse_draft_id(raw_id)
    if not answer.ok or draft_id is None:
        return answer
    try:
        act(draft_id)
    except StaleState:
        return approval.Answer(False, "Someone else has just dealt with this draft.")
    except ValueError as exc:
        return approval.Answer(False, str(exc))
    deps.gateway.refresh_card(draft_id)
    return approval.Answer(True)


# -- App Home, the SLT group, composing --------------------------------------------------------


def register_home(app: App, deps: Deps) -> None:
    @app.event("app_home_opened")
    @guarded
    def on_home(event: dict[str, Any], client: WebClient) -> None:
        if event.get("tab", "home") != "home":
            return
        user = str(event.get("user") or "")
        data = home.load_home(deps.sessions, user, is_slt=deps.slt.is_slt(user), policy=deps.policy)
        client.views_publish(user_id=user, view=cards.home_view(data))

    @app.event("subteam_members_changed")
    @guarded
    def on_group_change(event: dict[str, Any]) -> None:
        deps.slt.invalidate(event.get("subteam_id"))


def register_compose(app: App, deps: Deps) -> None:
    @app.command("/tweet")
    @guarded
    def on_command(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        # A slash command's text is plain (Slack escapes only & < >): convert like a message.
        text = to_post_text(str(body.get("text") or "")).text
        client.views_open(trigger_id=body["trigger_id"], view=cards.compose_modal(text))

    @app.shortcut("submit_as_draft")
    @guarded
    def on_shortcut(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        text = to_post_text(str((body.get("message") or {}).get("text") or "")).text
        client.views_open(trigger_id=body["trigger_id"], view=cards.compose_modal(text))

    @app.view("compose_draft")
    @guarded
    def submit_compose(
        ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient
    ) -> None:
        values = view_values(view)
        text = text_value(values, "text").strip()
        files = _files({"files": (values.get("photos") or {}).get("files") or []})
        editing = approval.parse_draft_id(view.get("private_metadata"))
        user = user_of(body)
        own = intake.own_draft(deps.sessions, deps.gateway.refs, editing, user) if editing else None
        if editing and own is None:
            ack(response_action="errors", errors={"text": "Only the author can edit this draft."})
            return
        if not text and not files and not (own and own.files):
            ack(response_action="errors", errors={"text": "Write what the post should say."})
            return
        ack()
        if editing and own:
            message = _composed(*_where(own), user, text, files or own.files)
            _edit_composed(deps, client, editing, own, message)
            return
        channel = deps.settings.drafts_channel
        if not channel:
            return
        # The draft lives in the drafts channel like any other, with its own thread. The
        # message is the bot's, so its author gets buttons to edit or withdraw it.
        post_text = to_post_text(escape(text)).text
        card = cards.composed_draft(user, post_text)
        posted = client.chat_postMessage(
            channel=channel, text=card.text, blocks=card.blocks_json(), unfurl_links=False
        )
        draft_id = intake.receive(
            deps.sessions,
            deps.gateway,
            deps.policy,
            _composed(channel, str(posted["ts"]), user, text, files),
        )
        if draft_id is not None:
            card = cards.composed_draft(user, post_text, draft_id)
            client.chat_update(
                channel=channel, ts=str(posted["ts"]), text=card.text, blocks=card.blocks_json()
            )

    @app.action("draft_edit")
    @guarded
    def open_edit(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        found = _own_or_refuse(deps, body, "edit")
        if found is None:
            return
        draft_id, own = found
        view = cards.compose_modal(own.text, draft_id=draft_id, photos=len(own.files))
        client.views_open(trigger_id=body["trigger_id"], view=view)

    @app.action("draft_withdraw")
    @guarded
    def on_withdraw(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        found = _own_or_refuse(deps, body, "withdraw")
        if found is None:
            return
        user, own = user_of(body), found[1]
        if not intake.withdraw(deps.sessions, deps.gateway, own.message, user):
            deps.gateway.ephemeral(
                channel_of(body),
                user,
                "This draft can no longer be withdrawn: it has been decided on or posted. "
                "Ask a member of SLT if it needs taking down.",
            )
            return
        card = cards.composed_draft(user, own.text, withdrawn=True)
        client.chat_update(
            channel=own.message.place, ts=own.message.id, text=card.text, blocks=card.blocks_json()
        )


def _own_or_refuse(
    deps: Deps, body: dict[str, Any], verb: str
) -> tuple[int, intake.OwnDraft] | None:
    """The clicked draft if the person clicking wrote it; anyone else is told, privately."""
    user, draft_id = user_of(body), approval.parse_draft_id(action_value(body))
    own = intake.own_draft(deps.sessions, deps.gateway.refs, draft_id, user) if draft_id else None
    if draft_id is None or own is None:
        deps.gateway.ephemeral(channel_of(body), user, f"Only its author can {verb} this draft.")
        return None
    return draft_id, own


def _composed(
    channel: str, ts: str, user: str, text: str, files: tuple[ChatFile, ...]
) -> intake.IncomingMessage:
    """A draft written in the compose form: plain text, so converted as Slack would send it."""
    return intake.IncomingMessage(
        ref=MessageRef(channel, ts),
        user=user,
        source_text=text,
        text=to_post_text(escape(text)).text,
        files=files,
    )


def _edit_composed(
    deps: Deps,
    client: WebClient,
    draft_id: int,
    own: intake.OwnDraft,
    message: intake.IncomingMessage,
) -> None:
    """The compose form's edit: the same path as editing a message, then the message redrawn."""
    if not intake.edit(deps.sessions, deps.gateway, deps.policy, message):
        return  # unchanged, or too late (the author has been told why in the thread)
    card = cards.composed_draft(message.user, message.text, draft_id)
    channel, ts = _where(own)
    client.chat_update(channel=channel, ts=ts, text=card.text, blocks=card.blocks_json())


def _where(own: intake.OwnDraft) -> tuple[str, str]:
    """The Slack (channel, ts) of a draft's message."""
    return own.message.place, own.message.id


def register_all(app: App, deps: Deps) -> None:
    register_messages(app, deps)
    register_declaration(app, deps)
    register_decisions(app, deps)
    register_publishing(app, deps)
    register_home(app, deps)
    register_compose(app, deps)
