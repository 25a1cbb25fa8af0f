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

from chatbot.domain.academic_year import LONDON, AcademicYear
from chatbot.domain.drafts import DraftState
from chatbot.policy.model import Policy
from chatbot.services import approval, home, intake
from chatbot.services import publishing as publishing_service
from chatbot.services.chat_text import escape
from chatbot.services.failures import log_failure
from chatbot.services.ports import ChatFile
from chatbot.services.registers import search_pupils
from chatbot.settings import Settings
from chatbot.slack import cards
from chatbot.slack.gateway import SlackGateway
from chatbot.slack.markup import to_post_text
from chatbot.slack.slt import SltDirectory
from chatbot.store.db import transaction
from chatbot.store.models import utcnow
from chatbot.store.repositories import StaleState

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


def guarded(func: F) -> F:
    """Log a listener's exception instead of letting it reach Bolt (and lose the next ack)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        try:
            func(*args, **kwargs)
        except Exception as exc:
            log_failure(log, f"listener {func.__name__}", exc)

    return wrapper  # type: ignore[return-value]


def _user(body: dict[str, Any]) -> str:
    return str((body.get("user") or {}).get("id", ""))


def _value(body: dict[str, Any]) -> object:
    actions = body.get("actions") or [{}]
    return actions[0].get("value")


def _channel(body: dict[str, Any]) -> str | None:
    channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get(
        "channel_id"
    )
    return str(channel) if channel else None


def _values(view: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """{action_id: element state} across all blocks of a submitted view."""
    out: dict[str, dict[str, Any]] = {}
    for block in ((view.get("state") or {}).get("values") or {}).values():
        for action_id, state in block.items():
            out[action_id] = state
    return out


def _text_value(values: dict[str, dict[str, Any]], action_id: str) -> str:
    return str((values.get(action_id) or {}).get("value") or "")


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
        channel=channel,
        ts=str(message["ts"]),
        user=str(message.get("user") or ""),
        source_text=source,
        text=converted.text,
        notices=converted.notices,
        files=_files(message),
    )


def _is_staff_draft(message: dict[str, Any], bot_user: str | None) -> bool:
    """A person's top-level message: not a bot, not us, not a reply in a thread."""
    if message.get("bot_id") or message.get("subtype") in ("bot_message", "thread_broadcast"):
        return False
    user = message.get("user")
    if not user or user == bot_user:
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
            if message.get("ts") and _is_staff_draft(message, bot_user):
                intake.edit(deps.sessions, deps.gateway, deps.policy, _incoming(channel, message))
        elif subtype == "message_deleted":
            deleted = event.get("deleted_ts")
            author = str((event.get("previous_message") or {}).get("user") or "unknown")
            if deleted:
                intake.withdraw(deps.sessions, deps.gateway, channel, str(deleted), author)


# -- the photo declaration ---------------------------------------------------------------------


def register_declaration(app: App, deps: Deps) -> None:
    @app.action("draft_declare")
    @guarded
    def open_declaration(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        user = _user(body)
        draft_id = approval.parse_draft_id(_value(body))
        form = intake.declaration_form(deps.sessions, draft_id) if draft_id else None
        if draft_id is None or form is None:
            deps.gateway.ephemeral(_channel(body), user, "This draft can no longer be changed.")
            return
        if not intake.may_declare(deps.sessions, draft_id, user, deps.slt.is_slt(user)):
            deps.gateway.ephemeral(
                _channel(body), user, "Only the author of the draft (or SLT) can say who is in it."
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
        user = _user(body)
        draft_id = approval.parse_draft_id(view.get("private_metadata"))
        if draft_id is None:
            ack(response_action="errors", errors={"pictured_pupils": "This form is out of date."})
            return
        values = _values(view)
        pupil_ids = tuple(
            int(o["value"])
            for o in (values.get("pictured_pupils") or {}).get("selected_options") or ()
            if str(o.get("value", "")).isdigit()
        )
        no_pupils = bool((values.get("no_pupils") or {}).get("selected_options"))
        alt_texts = tuple(
            _text_value(values, f"alt_text_{n}")
            for n in range(sum(1 for key in values if key.startswith("alt_text_")))
        )
        source = ((values.get("photo_source") or {}).get("selected_option") or {}).get("value")
        result = intake.declare(
            deps.sessions,
            deps.policy,
            draft_id,
            user,
            intake.Declaration(pupil_ids, no_pupils, alt_texts, source),
            is_slt=deps.slt.is_slt(user),
        )
        if not result.ok:
            ack(response_action="errors", errors=result.errors)
            return
        ack()
        intake.announce(deps.gateway, draft_id)


# -- SLT's decisions ---------------------------------------------------------------------------


def _refuse(deps: Deps, body: dict[str, Any], answer: approval.Answer) -> None:
    if not answer.ok:
        channel = _channel(body) or deps.settings.approvals_channel
        deps.gateway.ephemeral(channel, _user(body), answer.message)


def _reason_submission(
    app: App, deps: Deps, callback_id: str, decide: Callable[[object, str, str], Any]
) -> None:
    @app.view(callback_id)
    @guarded
    def submit(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        reason = _text_value(_values(view), "reason").strip()
        if not reason:
            ack(response_action="errors", errors={"reason": "Please give a reason."})
            return
        ack()
        answer = decide(view.get("private_metadata"), _user(body), reason)
        if isinstance(answer, approval.Answer):
            _refuse(deps, body, answer)


def register_decisions(app: App, deps: Deps) -> None:
    is_slt = deps.slt.is_slt

    @app.action("draft_approve")
    @guarded
    def on_approve(ack: Ack, body: dict[str, Any]) -> None:
        ack()
        answer = approval.approve(
            deps.sessions, deps.gateway, deps.policy, _value(body), _user(body), is_slt=is_slt
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
            answer = check(_value(body), _user(body))
            draft_id = approval.parse_draft_id(_value(body))
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
        values = _values(view)
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
            _user(body),
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
        url = _text_value(_values(view), "url").strip()
        if not _STATUS_URL.match(url):
            ack(
                response_action="errors",
                errors={"url": "Paste the link to the post, like https://x.com/school/status/1"},
            )
            return
        ack()
        user = _user(body)
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
            user = _user(body)
            answer = _publishing(deps, _value(body), user, allowed, lambda i: act(i, user))
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
        values = _values(view)
        text = _text_value(values, "text").strip()
        files = _files({"files": (values.get("photos") or {}).get("files") or []})
        if not text and not files:
            ack(response_action="errors", errors={"text": "Write what the post should say."})
            return
        ack()
        user = _user(body)
        channel = deps.settings.drafts_channel
        if not channel:
            return
        # The draft lives in the drafts channel like any other, with its own thread.
        posted = client.chat_postMessage(
            channel=channel,
            text=f"Draft from <@{user}>:\n{escape(text)}",
            unfurl_links=False,
        )
        intake.receive(
            deps.sessions,
            deps.gateway,
            deps.policy,
            intake.IncomingMessage(
                channel=channel,
                ts=str(posted["ts"]),
                user=user,
                source_text=text,
                text=to_post_text(escape(text)).text,
                files=files,
            ),
        )


def register_all(app: App, deps: Deps) -> None:
    register_messages(app, deps)
    register_declaration(app, deps)
    register_decisions(app, deps)
    register_publishing(app, deps)
    register_home(app, deps)
    register_compose(app, deps)
