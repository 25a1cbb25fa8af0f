"""Outbox and periodic-task claims: who may work on what, decided in the database.

A claim is a lease: `claimed_by` plus `lease_until`. On PostgreSQL the candidate row is picked
with ``SELECT ... FOR UPDATE SKIP LOCKED`` so concurrent workers take different rows without
waiting; on SQLite (where SQLAlchemy renders no FOR UPDATE) the transaction already holds the
write lock from ``BEGIN IMMEDIATE``. Either way the claim itself is a compare-and-set UPDATE,
and every later write by the worker checks it still holds the lease (a fence).

A claim also names its owner: the host, the process id and a start stamp (boot, pid namespace,
start time) of the process. A worker starting on that host can then tell a claim whose process
died (the pid is gone, a zombie, or reused by a process with another stamp) from one that is
still at work, and resolve it at once instead of when the lease runs out. A claim from another
host, or one without an owner, is left to its lease: nobody here can see that process.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from chatbot.adapters.db.inserts import insert_if_absent
from chatbot.adapters.db.models import OutboxItem, PeriodicTask
from chatbot.domain.outbox import OutboxState

PROC = Path("/proc")


@dataclass(frozen=True, slots=True)
class Owner:
    """A process that may hold claims: where it runs, its pid, and what tells it from a later
    process given the same pid (None where /proc cannot say)."""

    host: str
    pid: int
    started: str | None


def this_process() -> Owner:
    pid = os.getpid()
    return Owner(host=socket.gethostname()[:255], pid=pid, started=start_stamp(pid))


def start_stamp(pid: int, proc: Path = PROC) -> str | None:
    """The stamp "boot id/pid namespace/start ticks" of a process on Linux; None if unreadable.

    Equal stamps mean the same process: a pid reused later (or after a reboot, or in another
    container's pid namespace) has another stamp.
    """
    try:
        boot = (proc / "sys/kernel/random/boot_id").read_text().strip()
        namespace = os.readlink(proc / str(pid) / "ns/pid")
        fields = (proc / str(pid) / "stat").read_text().rpartition(")")[2].split()
    except (OSError, ValueError):
        return None
    # After the command name: state is field 3, starttime field 22 (proc(5)).
    if len(fields) < 20:
        return None
    namespace = namespace.removeprefix("pid:[").removesuffix("]")
    return f"{boot}/{namespace}/{fields[19]}"[:80]


def _state(pid: int, proc: Path) -> str | None:
    try:
        return (proc / str(pid) / "stat").read_text().rpartition(")")[2].split()[0]
    except (OSError, IndexError):
        return None


def owner_is_dead(owner: Owner, *, here: Owner, proc: Path = PROC) -> bool:
    """True only when it is certain that `owner`, a process on our host, no longer runs.

    Uncertain cases (another host, no pid, no permission to look) count as alive: the claim is
    then left to its lease, which is the slow but always correct way.
    """
    if owner.host != here.host or owner.pid <= 0:
        return False
    if owner.started is not None and here.started is not None:
        # Both stamps readable: a different boot or pid namespace is another process.
        ours = here.started.rsplit("/", 1)[0]
        if owner.started.rsplit("/", 1)[0] != ours:
            return True
    try:
        os.kill(owner.pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        pass  # it runs, as another user
    except OSError:
        return False
    if _state(owner.pid, proc) in {"Z", "X"}:
        return True  # killed, waiting for its parent to collect it: it does nothing now
    if owner.started is not None:
        now = start_stamp(owner.pid, proc)
        if now is not None and now != owner.started:
            return True  # the pid now belongs to a later process
    return False


def claim_next(
    session: Session,
    *,
    now: datetime,
    worker_id: str,
    lease: timedelta,
    owner: Owner | None = None,
) -> OutboxItem | None:
    """Claim the most overdue queued item, or return None when nothing is due."""
    candidate = session.scalar(
        select(OutboxItem.id)
        .where(OutboxItem.state == OutboxState.QUEUED, OutboxItem.due_at <= now)
        # due_at alone, so ix_outbox_due (state, due_at) answers without sorting the queue.
        .order_by(OutboxItem.due_at)
        .limit(1)
        .with_for_update(skip_locked=True)
    )
    if candidate is None:
        return None
    result = session.execute(
        update(OutboxItem)
        .where(OutboxItem.id == candidate, OutboxItem.state == OutboxState.QUEUED)
        .values(
            state=OutboxState.CLAIMED,
            claimed_by=worker_id,
            lease_until=now + lease,
            attempts=OutboxItem.attempts + 1,
            owner_host=owner.host if owner else None,
            owner_pid=owner.pid if owner else None,
            owner_started=owner.started if owner else None,
        )
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        return None
    return session.get(OutboxItem, candidate, populate_existing=True)


def expired_claims(session: Session, *, now: datetime, limit: int = 20) -> list[OutboxItem]:
    """Claimed items whose lease ran out (their worker died or hung), locked for the caller."""
    return list(
        session.scalars(
            select(OutboxItem)
            .where(OutboxItem.state == OutboxState.CLAIMED, OutboxItem.lease_until < now)
            .order_by(OutboxItem.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
    )


def dead_claims(
    session: Session, *, here: Owner, proc: Path = PROC, limit: int = 20
) -> list[OutboxItem]:
    """Claimed items held by a process on our host that has died, locked for the caller.

    The owners are looked at first without locks, so live workers' rows are never held up.
    """
    candidates = session.execute(
        select(OutboxItem.id, OutboxItem.claimed_by, OutboxItem.owner_pid, OutboxItem.owner_started)
        .where(
            OutboxItem.state == OutboxState.CLAIMED,
            OutboxItem.owner_host == here.host,
            OutboxItem.owner_pid.is_not(None),
        )
        .order_by(OutboxItem.id)
    ).all()
    dead = [
        (item_id, claimed_by)
        for item_id, claimed_by, pid, started in candidates
        if pid is not None and owner_is_dead(Owner(here.host, pid, started), here=here, proc=proc)
    ][:limit]
    if not dead:
        return []
    # Still claimed by the same worker (not released and claimed again meanwhile), locked.
    return list(
        session.scalars(
            select(OutboxItem)
            .where(
                OutboxItem.state == OutboxState.CLAIMED,
                or_(
                    *(
                        (OutboxItem.id == item_id) & (OutboxItem.claimed_by == claimed_by)
                        for item_id, claimed_by in dead
                    )
                ),
            )
            .order_by(OutboxItem.id)
            .with_for_update(skip_locked=True)
        )
    )


def holds_lease(
    session: Session,
    item_id: int,
    worker_id: str,
    *,
    now: datetime,
    lease: timedelta,
    progress: dict[str, Any] | None = None,
) -> bool:
    """Renew our lease (and save progress); False if the item is no longer ours."""
    values: dict[str, Any] = {"lease_until": now + lease}
    if progress is not None:
        values["progress"] = progress
    result = session.execute(
        update(OutboxItem)
        .where(
            OutboxItem.id == item_id,
            OutboxItem.state == OutboxState.CLAIMED,
            OutboxItem.claimed_by == worker_id,
        )
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1  # type: ignore[attr-defined,no-any-return]


def release(
    session: Session,
    item_id: int,
    worker_id: str | None,
    state: OutboxState,
    *,
    due_at: datetime | None = None,
    last_error: str | None = None,
    refund_attempt: bool = False,
    progress: dict[str, Any] | None = None,
) -> bool:
    """End a claim: back to `queued` (with a new due time) or to a final state.

    `worker_id=None` is the reaper, which takes over items whose lease has run out.
    A `refund_attempt` does not count the try (rate limits and paused credentials).
    """
    values: dict[str, Any] = {"state": state, "lease_until": None, "last_error": last_error}
    if due_at is not None:
        values["due_at"] = due_at
    if refund_attempt:
        values["attempts"] = OutboxItem.attempts - 1
    if progress is not None:
        values["progress"] = progress
    conditions = [OutboxItem.id == item_id, OutboxItem.state == OutboxState.CLAIMED]
    if worker_id is not None:
        conditions.append(OutboxItem.claimed_by == worker_id)
    result = session.execute(
        update(OutboxItem)
        .where(*conditions)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1  # type: ignore[attr-defined,no-any-return]


# -- periodic tasks ------------------------------------------------------------------------------


def ensure_task(session: Session, name: str, *, first_run: datetime) -> None:
    """Create the task's row if no process has yet (a second insert is a no-op)."""
    insert_if_absent(session, PeriodicTask, {"name": name, "next_run_at": first_run})


def claim_task(session: Session, name: str, *, now: datetime, lease: timedelta) -> bool:
    """Take the task's lease if it is due and nobody holds it."""
    result = session.execute(
        update(PeriodicTask)
        .where(
            PeriodicTask.name == name,
            PeriodicTask.next_run_at <= now,
            or_(PeriodicTask.lease_until.is_(None), PeriodicTask.lease_until < now),
        )
        .values(lease_until=now + lease)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1  # type: ignore[attr-defined,no-any-return]


def finish_task(
    session: Session, name: str, *, now: datetime, next_run: datetime, error: str | None
) -> None:
    session.execute(
        update(PeriodicTask)
        .where(PeriodicTask.name == name)
        .values(last_run_at=now, next_run_at=next_run, lease_until=None, last_error=error)
        .execution_options(synchronize_session=False)
    )
