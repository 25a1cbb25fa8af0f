"""Who the school follows: "by exception" (the policy). Tell SLT of accounts off the list.

The network may refuse the follows endpoints to self-serve apps (X does to many). Where it does,
SLT are told once where they decide and the bot stops asking (each refused call still counts).
"""

from __future__ import annotations

from chatbot.adapters.db.db import transaction
from chatbot.services.monitoring.context import (
    PAGE_SIZE,
    STOPS,
    MonitorContext,
    RunReport,
    school_account,
)
from chatbot.services.monitoring.store import claim_once, get_value, mark_seen, unseen
from chatbot.services.ports import EndpointNotAvailable


def refused_key(ctx: MonitorContext) -> str:
    """Stored once the network refuses the endpoint (its id first, as the key always was)."""
    return f"{ctx.reader.limits.network}_following_refused"


def _not_offered(ctx: MonitorContext) -> str:
    return f"{ctx.reader.limits.name} does not offer this app the list of accounts it follows"


def check_following(ctx: MonitorContext) -> RunReport:
    report = RunReport()
    with transaction(ctx.sessions) as session:
        if get_value(session, refused_key(ctx)) is not None:
            report.stopped = _not_offered(ctx)
            return report
    try:
        me = school_account(ctx)
    except STOPS as exc:
        return report.stop(exc, ctx.reader.limits.name)
    allowed = ctx.policy.allowed_mentions | {me.username.casefold()}
    scope = f"following:{me.id}"
    token: str | None = None
    off_list: list[str] = []
    while True:
        try:
            page = ctx.reader.following(me.id, pagination_token=token, max_results=PAGE_SIZE)
        except EndpointNotAvailable as exc:
            _refused(ctx, str(exc))
            report.stopped = _not_offered(ctx)
            return report
        except STOPS as exc:
            return report.stop(exc, ctx.reader.limits.name)
        report.read += len(page.items)
        with transaction(ctx.sessions) as session:
            new = unseen(session, scope, [a.id for a in page.items])
            mark_seen(session, scope, new)
        for account in page.items:
            if account.id in new:
                report.checked += 1
                if account.username.casefold() not in allowed:
                    off_list.append(account.username)
        if page.next_token is None:
            break
        token = page.next_token
    if off_list:
        handles = ", ".join(f"@{h}" for h in off_list[:20])
        more = f" and {len(off_list) - 20} more" if len(off_list) > 20 else ""
        ctx.chat.notify_approvers(
            f"@{me.username} now follows {handles}{more}. The policy says the school follows "
            "others only by exception, where following has obvious benefits: please check, and "
            "add the accounts that should stay to the policy's allowed-accounts list."
        )
    report.complete = True
    return report


def _refused(ctx: MonitorContext, detail: str) -> None:
    with transaction(ctx.sessions) as session:
        first = claim_once(session, refused_key(ctx), {"detail": detail[:200]})
    if first:
        name = ctx.reader.limits.name
        ctx.chat.notify_approvers(
            f"{name} does not let this app read which accounts the school follows (its "
            "self-serve access does not include that endpoint), so the bot cannot check the "
            f'policy\'s "follows only by exception". Please look at the Following list in the '
            f"{name} app now and then. The bot will not ask {name} again."
        )
