"""Mentions of and replies to the school account since the last one checked.

Offensive, extremist and undermining posts become alert cards; a reply can be hidden on the network
from the card. The cursor (the newest post id checked) moves only once every page is done, so a run
cut short by a rate limit is read again from the same place (repeated alerts are ignored).
"""

from __future__ import annotations

from chatbot.adapters.db.db import transaction
from chatbot.adapters.db.monitoring import set_task_cursor, task_cursor
from chatbot.services.monitoring.context import (
    STOPS,
    MonitorContext,
    RunReport,
    post_alerts,
    queue_cards,
    school_account,
)
from chatbot.services.monitoring.rules import TextRules, mention_flags
from chatbot.services.monitoring.store import add_alert
from chatbot.services.ports import Mention

TASK = "monitor-mentions"
MENTION, REPLY = "mention", "reply"
PAGE = 100  # the largest page of mentions (X's, the only network read so far)


def read_cursor(ctx: MonitorContext) -> str | None:
    with transaction(ctx.sessions) as session:
        return task_cursor(session, TASK)


def write_cursor(ctx: MonitorContext, cursor: str) -> None:
    with transaction(ctx.sessions) as session:
        set_task_cursor(session, TASK, cursor)


def check_mentions(ctx: MonitorContext) -> RunReport:
    report = RunReport()
    try:
        me = school_account(ctx)
    except STOPS as exc:
        return report.stop(exc, ctx.reader.limits.name)
    rules = TextRules.from_policy(ctx.policy)
    since = read_cursor(ctx)
    newest: str | None = None
    token: str | None = None
    while True:
        try:
            page = ctx.reader.mentions(
                me.id, since_id=since, pagination_token=token, max_results=PAGE
            )
        except STOPS as exc:
            return report.stop(exc, ctx.reader.limits.name)
        report.read += len(page.items)
        newest = newest or page.newest_id or (page.items[0].id if page.items else None)
        new_alerts: list[int] = []
        with transaction(ctx.sessions) as session:
            for mention in page.items:
                if mention.author_id == me.id:
                    continue
                report.checked += 1
                for flag in mention_flags(mention, rules):
                    alert_id = add_alert(
                        session,
                        kind=_kind(mention),
                        subject_id=mention.author_id,
                        handle=mention.author_username,
                        flag=flag,
                        post_id=mention.id,
                    )
                    if alert_id is not None:
                        new_alerts.append(alert_id)
            queue_cards(session, new_alerts)
        report.alerts.extend(new_alerts)
        post_alerts(ctx, new_alerts)
        # The first run starts from now: one page, not the account's whole history.
        if page.next_token is None or since is None:
            break
        token = page.next_token
    if newest is not None:
        write_cursor(ctx, newest)
    report.complete = True
    return report


def _kind(mention: Mention) -> str:
    return REPLY if mention.is_reply else MENTION
