"""The school's followers: each new follower checked once; a flag becomes an alert card.

The network lists followers newest first. A run reads from the top until it reaches followers
already checked. The first crawl of a large account may not finish in one run (budget, rate
limits): the next page's token is kept, and later runs read the new followers at the top and then
carry on from where the crawl stopped: the crawl never starts again from the top, and nobody is
skipped.
Only the network's ids are kept (`seen_accounts`); profiles are judged in memory and forgotten.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from chatbot.adapters.db.db import transaction
from chatbot.domain.pupils import Register
from chatbot.services.monitoring.context import (
    PAGE_SIZE,
    STOPS,
    MonitorContext,
    RunReport,
    current_register,
    post_alerts,
    queue_cards,
    school_account,
)
from chatbot.services.monitoring.rules import AccountRules, Flag
from chatbot.services.monitoring.store import (
    add_alert,
    forget_scope,
    get_value,
    mark_seen,
    set_value,
    unseen,
)
from chatbot.services.ports import Account

Classify = Callable[[Account], list[Flag]]
# Called once per flagged account, after its alerts are committed: (alert ids, account, flags).
OnAlert = Callable[[list[int], Account, list[Flag]], None]

log = logging.getLogger(__name__)

FOLLOWER = "follower"


def check_school_followers(ctx: MonitorContext) -> RunReport:
    try:
        me = school_account(ctx)
    except STOPS as exc:
        return RunReport().stop(exc, ctx.reader.limits.name)
    register = current_register(ctx)
    rules = AccountRules.from_policy(ctx.policy, register)
    now = ctx.clock()
    return walk_followers(
        ctx,
        user_id=me.id,
        scope=f"followers:{me.id}",
        classify=lambda account: rules.follower(account, now),
        kind=FOLLOWER,
        pupils=pupil_ids(register),
    )


def pupil_ids(register: Register) -> frozenset[int]:
    return frozenset(entry.pupil.id for entry in register.entries if entry.pupil.id is not None)


def _state(ctx: MonitorContext, scope: str, pupils: frozenset[int]) -> dict[str, Any]:
    """Where the walk of `scope` got to. A pupil new on the register since the last walk
    restarts it: followers checked before are read and checked once more (repeat evidence is
    not alerted twice). Only ids are kept, so re-reading is the one way to check them again;
    it costs one read per follower, a few times a year, within the read budget."""
    key = f"walk:{scope}"
    with transaction(ctx.sessions) as session:
        state = get_value(session, key) or {"complete": False, "resume": None}
        known = state.get("pupils")
        if known is not None and not pupils <= set(known):
            forget_scope(session, scope)
            state = {"complete": False, "resume": None}
            log.info("new pupils on the register: %s is checked again from the top", scope)
        if known is None or set(known) != pupils:
            state["pupils"] = sorted(pupils)
            set_value(session, key, state)
    return state


def walk_followers(
    ctx: MonitorContext,
    *,
    user_id: str,
    scope: str,
    classify: Classify,
    kind: str,
    pupils: frozenset[int],
    staff_account_id: int | None = None,
    on_alert: OnAlert | None = None,
) -> RunReport:
    """Read `user_id`'s new followers, page by page, each page in its own transaction.

    `pupils`: the register's pupil ids, whose names `classify` knows (see `_state`).
    A rate limit, the read budget or an outage of the network ends the run early
    (`report.stopped`); the pages done are kept, and the next run carries on.
    """
    report = RunReport()
    state_key = f"walk:{scope}"
    state = _state(ctx, scope, pupils)
    complete = bool(state["complete"])
    resume: str | None = state.get("resume")
    # Without a saved place, reading from the top *is* the crawl: remember where it gets to.
    crawling = not complete and resume is None
    token: str | None = None
    while True:
        try:
            page = ctx.reader.followers(user_id, pagination_token=token, max_results=PAGE_SIZE)
        except STOPS as exc:
            return report.stop(exc, ctx.reader.limits.name)
        report.read += len(page.items)
        flagged: list[tuple[int, Account, Flag]] = []
        with transaction(ctx.sessions) as session:
            new_ids = unseen(session, scope, [a.id for a in page.items])
            for account in page.items:
                if account.id not in new_ids:
                    continue
                report.checked += 1
                for flag in classify(account):
                    alert_id = add_alert(
                        session,
                        kind=kind,
                        subject_id=account.id,
                        handle=account.username,
                        flag=flag,
                        staff_account_id=staff_account_id,
                    )
                    if alert_id is not None:
                        flagged.append((alert_id, account, flag))
            mark_seen(session, scope, new_ids)
            queue_cards(session, [alert_id for alert_id, _, _ in flagged])
            if page.next_token is None:
                complete, resume = True, None
            elif crawling:
                resume = page.next_token
            state.update(complete=complete, resume=resume)
            set_value(session, state_key, state)
        # Cards and messages only once the page is committed: never for an alert rolled back.
        report.alerts.extend(alert_id for alert_id, _, _ in flagged)
        post_alerts(ctx, [alert_id for alert_id, _, _ in flagged])
        if on_alert is not None:
            by_account: dict[str, tuple[list[int], Account, list[Flag]]] = {}
            for alert_id, account, flag in flagged:
                ids, _, flags = by_account.setdefault(account.id, ([], account, []))
                ids.append(alert_id)
                flags.append(flag)
            for ids, account, flags in by_account.values():
                on_alert(ids, account, flags)
        if page.next_token is None:
            break
        reached_known = len(new_ids) < len(page.items)
        if reached_known and complete:
            break
        if reached_known and not crawling and resume is not None:
            token, crawling = resume, True  # the new ones are done: back to the crawl
            continue
        token = page.next_token
    report.complete = complete
    return report
