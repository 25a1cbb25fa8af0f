"""Staff accounts: opt-in records, and their followers checked against the register.

"In no circumstances should pupils be allowed to follow staff. Should this happen, the staff
are to block the pupil and inform a member of the SLT." A match alerts the safeguarding team and
asks the member of staff, privately, to block the account: the bot cannot (the network gives
self-serve apps no block call) and it cannot read a staff account's blocks either.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from chatbot.adapters.db.db import transaction
from chatbot.adapters.db.models import StaffAccount, utcnow
from chatbot.adapters.db.monitoring import (
    checked_staff_account,
    checked_staff_accounts,
    record_staff_opt_in,
    staff_account_by_handle,
    staff_account_by_id,
    staff_accounts_by_handle,
)
from chatbot.adapters.db.repositories import audit
from chatbot.domain.actors import Acting
from chatbot.services.monitoring.context import (
    STOPS,
    MonitorContext,
    RunReport,
    current_register,
)
from chatbot.services.monitoring.followers import OnAlert, pupil_ids, walk_followers
from chatbot.services.monitoring.rules import AccountRules, Flag
from chatbot.services.monitoring.store import forget_scope, set_value
from chatbot.services.ports import Account, BlockRequester

log = logging.getLogger(__name__)

STAFF_FOLLOWER = "staff_follower"
_HANDLE = re.compile(r"^@?([A-Za-z0-9_]{1,15})$")


class StaffError(Exception):
    """A staff command that cannot be done; the message says what to do instead."""


@dataclass(frozen=True, slots=True)
class StaffLine:
    handle: str
    chat_user: str
    opted_in_at: datetime
    removed_at: datetime | None


def normalise_handle(handle: str) -> str:
    match = _HANDLE.match(handle.strip())
    if not match:
        raise StaffError(f"{handle!r} is not an X handle (letters, digits and _, at most 15)")
    return match.group(1).casefold()


def add_staff(session: Session, handle: str, chat_user: str, actor: Acting) -> StaffAccount:
    """Record a member of staff's opt-in (today) to have their followers checked.

    `chat_user` is the person on the chat platform (opaque here; the caller checks its form).
    """
    name = normalise_handle(handle)
    if not chat_user.strip():
        raise StaffError("say who the member of staff is on chat")
    row = staff_account_by_handle(session, name)
    if row is not None and row.removed_at is None:
        raise StaffError(f"@{name} is already checked (opted in {row.opted_in_at:%Y-%m-%d})")
    row = record_staff_opt_in(session, row, name, chat_user)
    audit(
        session,
        actor=actor,
        action="staff_opt_in",
        subject=f"@{name}",
        detail={"chat_user": chat_user, "staff_account_id": row.id},
    )
    return row


def remove_staff(session: Session, handle: str, actor: Acting) -> StaffAccount:
    """Stop checking a member of staff's followers, and forget which followers were checked."""
    name = normalise_handle(handle)
    row = checked_staff_account(session, name)
    if row is None:
        raise StaffError(f"@{name} is not a checked staff account; see `chatbot staff list`")
    row.removed_at = utcnow()
    if row.network_user_id:
        forget_scope(session, staff_scope(row.network_user_id))
        set_value(
            session, f"walk:{staff_scope(row.network_user_id)}", {"complete": False, "resume": None}
        )
    audit(
        session,
        actor=actor,
        action="staff_opt_out",
        subject=f"@{name}",
        detail={"staff_account_id": row.id},
    )
    return row


def list_staff(session: Session, *, include_removed: bool = False) -> list[StaffLine]:
    return [
        StaffLine(r.handle, r.chat_user, r.opted_in_at, r.removed_at)
        for r in staff_accounts_by_handle(session, include_removed=include_removed)
    ]


def staff_scope(network_user_id: str) -> str:
    return f"staff:{network_user_id}"


def check_staff_followers(ctx: MonitorContext) -> RunReport:
    """Each opted-in staff account's new followers, against the register."""
    with transaction(ctx.sessions) as session:
        staff = [
            (r.id, r.handle, r.network_user_id, r.chat_user)
            for r in checked_staff_accounts(session)
        ]
    total = RunReport(complete=True)
    if not staff:
        return total
    register = current_register(ctx)
    rules = AccountRules.from_policy(ctx.policy, register)
    for staff_id, handle, known_id, chat_user in staff:
        try:
            network_user_id = known_id or _resolve(ctx, staff_id, handle)
        except STOPS as exc:
            total.stop(exc, ctx.reader.limits.name)
            break
        if network_user_id is None:
            continue
        report = walk_followers(
            ctx,
            user_id=network_user_id,
            scope=staff_scope(network_user_id),
            classify=rules.pupil_like,
            kind=STAFF_FOLLOWER,
            staff_account_id=staff_id,
            on_alert=_asker(ctx, chat_user, handle),
            pupils=pupil_ids(register),
        )
        total.read += report.read
        total.checked += report.checked
        total.alerts.extend(report.alerts)
        total.complete = total.complete and report.complete
        if report.stopped:
            total.stop_like(report)
            if not report.account_only:
                break
    return total


def _resolve(ctx: MonitorContext, staff_id: int, handle: str) -> str | None:
    account = ctx.reader.user_by_username(handle)
    with transaction(ctx.sessions) as session:
        row = staff_account_by_id(session, staff_id)
        if account is None:
            if row is not None:
                audit(
                    session,
                    actor="system",
                    action="staff_account_not_found",
                    subject=f"@{handle}",
                    detail={"staff_account_id": staff_id},
                )
            return None
        if row is not None:
            row.network_user_id = account.id
    return account.id


def _asker(ctx: MonitorContext, chat_user: str, staff_handle: str) -> OnAlert:
    def ask(alert_ids: list[int], account: Account, flags: list[Flag]) -> None:
        _ask_to_block(ctx, alert_ids[0], chat_user, staff_handle, account, flags)

    return ask


def _ask_to_block(  # noqa: PLR0917 - private, called from one place
    ctx: MonitorContext,
    alert_id: int,
    chat_user: str,
    staff_handle: str,
    account: Account,
    flags: list[Flag],
) -> None:
    by_name = any(f.rule == "pupil-name" for f in flags)
    why = "has a name like a pupil's" if by_name else "looks like a child's account"
    network = ctx.reader.limits
    profile = network.profile_url(account.username)
    text = (
        f"@{account.username} follows your {network.name} account @{staff_handle} and {why}"
        f"{f' ({profile})' if profile else ''}. The school's policy says pupils must never "
        f"follow staff: please block @{account.username} in the {network.name} app, then tell a "
        f"member of SLT. The safeguarding {ctx.chat.words.room} has been told."
    )
    try:
        if isinstance(ctx.chat, BlockRequester):
            ctx.chat.ask_to_block(alert_id, chat_user, text)
        else:
            ctx.chat.direct_message(chat_user, text)
    except Exception:
        log.exception("could not message staff about alert %d", alert_id)
