"""Checking 100,000 followers against a 2,000-pupil register, the network excluded.

The whole walk the worker does (issue 6): pages of 1,000 served from memory by an in-process
reader, each page checked (pupil names and handles, child-like bios, offensive and extremist
words, new empty accounts), the seen ids and the read budget written to a SQLite file, alerts
inserted; the 2,000 pupils read from the database first, as the worker
does. Generating the followers is not timed. Targets: at most 10 s of CPU
(`time.process_time`) and 300 MB of memory (growth of the process's peak RSS).

Run: `python -m benchmarks followers` or `python -m benchmarks.bench_followers`.
"""

from __future__ import annotations

import random
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert
from sqlalchemy.orm import Session, sessionmaker

from chatbot.adapters.db.db import make_engine, make_sessionmaker, transaction, upgrade
from chatbot.adapters.db.models import PupilRow, PupilYear
from chatbot.adapters.x import LIMITS as X_LIMITS
from chatbot.domain.academic_year import AcademicYear
from chatbot.domain.pupils import Pupil, Register, RegisterEntry
from chatbot.policy.engine import load_policy
from chatbot.services.monitoring.context import MonitorContext
from chatbot.services.monitoring.followers import check_school_followers
from chatbot.services.monitoring.rules import AccountRules
from chatbot.services.monitoring.schedule import monitor_context
from chatbot.services.ports import Account, Mention, Page

FOLLOWERS = 100_000
PUPILS = 2_000
PAGE = 1_000
CPU_TARGET_S = 10.0
MEMORY_TARGET_MB = 300.0


def _words(text: str) -> list[str]:
    return text.split()


FIRST = _words(
    "Olivia Amelia Isla Ava Ivy Freya Lily Florence Mia Willow Rosie Sophia Isabella Grace "
    "Daisy Sienna Poppy Elsie Emily Ella Evelyn Phoebe Sofia Evie Charlotte Harper Millie "
    "Matilda Ruby Maya Noah Oliver George Arthur Muhammad Leo Harry Oscar Archie Henry Theodore "
    "Freddie Jack Charlie Theo Alfie Jacob Thomas Finley Arlo William Lucas Roman Tommy Isaac "
    "Teddy Zoë Aisha Fatima Mohammed Yusuf Priya Arjun Kacper Zofia Chloé Siobhán Niamh Oisín"
)
LAST = _words(
    "Smith Jones Williams Taylor Brown Davies Evans Wilson Thomas Johnson Roberts Robinson "
    "Thompson Wright Walker White Edwards Hughes Green Hall Lewis Harris Clarke Patel Jackson "
    "Wood Turner Martin Cooper Hill Ward Morris Moore Clark Lee King Baker Harrison Morgan "
    "Allen James Scott Phillips Watson Davis Parker Price Bennett Young Griffiths Mitchell "
    "Kelly Cook Carter Richardson Bailey Collins Bell Shaw Murphy Miller Cox Richards Khan "
    "Marshall Anderson Simpson Ellis Adams Singh Begum Wilkinson Foster Chapman Powell Webb "
    "Rogers Gray Mason Ali Hunt Hussain Campbell Matthews Owen Palmer Holmes Mills Barnes Knight "
    "Lloyd Butler Russell Barker Fisher Stevens Jenkins Murray Dixon Harvey Nowak O'Brien"
)
BIOS = (
    "Mum of two. Coffee, running and the school run.",
    "Dad, Liverpool fan, governor at a local primary.",
    "Teacher. Views my own. #EduTwitter",
    "Local bakery on Woolton Road - fresh bread daily",
    "Year 6 teacher, maths lead, ECT mentor",
    "Proud nan of 5 grandchildren",
    "",
    "Photographer | Liverpool | he/him",
    "Reading, walking, cats. I'm 34.",
    "Community news for Hunts Cross and Speke",
)
# Followers are mostly adults: names from another pool, so chance matches stay as rare as in life.
ADULT_FIRST = _words(
    "Sarah Claire Emma Rachel Helen Joanne Nicola Lisa Michelle Kelly Gemma Laura Donna Karen "
    "Paul Mark David Andrew Steven Richard Gary Craig Darren Neil Lee Stuart Wayne Dean Carl "
    "Jo Sam Chris Alex Jamie Danny Tony Mike Pete Dave Shaz Bev Tracey Angela Julie Sue"
)
CHILD_BIOS = ("Year 5 at Hunts Cross 🦄", "I'm 11! slime and roblox", "10 yrs old gamer")


class MemoryReader:
    """Serves pre-built pages: the network excluded, nothing else."""

    limits = X_LIMITS  # the reader port names its network (what the monitors store and say)

    def __init__(self, accounts: list[Account]) -> None:
        self.accounts = accounts

    def me(self) -> Account:
        return Account(id="1000", username="HuntsCrossPri")

    def user_by_username(self, username: str) -> Account | None:
        return None

    def followers(
        self, user_id: str, *, pagination_token: str | None = None, max_results: int = 1000
    ) -> Page[Account]:
        start = int(pagination_token or 0)
        end = start + max_results
        token = str(end) if end < len(self.accounts) else None
        return Page(tuple(self.accounts[start:end]), token)

    following = followers

    def mentions(
        self,
        user_id: str,
        *,
        since_id: str | None = None,
        pagination_token: str | None = None,
        max_results: int = 100,
    ) -> Page[Mention]:
        return Page(())

    def hide_reply(self, post_id: str) -> None: ...

    def mute(self, user_id: str) -> None: ...


class CountingChat:
    def __init__(self) -> None:
        self.alerts = 0

    def refresh_card(self, draft_id: int) -> None: ...
    def tell_author(self, draft_id: int, text: str) -> None: ...
    def notify_approvers(self, text: str) -> None: ...
    def direct_message(self, user_id: str, text: str) -> None: ...

    def post_alert(self, alert_id: int) -> None:
        self.alerts += 1


def store_register(sessions: sessionmaker[Session], register: Register) -> None:
    """The register in the database, as `chatbot pupils import` leaves it."""
    pupils = [
        {"id": p.id, "first_name": p.first_name, "last_name": p.last_name,
         "preferred_name": "", "match_key": f"{p.first_name} {p.last_name} {p.id}".casefold()}
        for p in register.pupils
    ]  # fmt: skip
    years = [
        {"pupil_id": p.id, "academic_year": str(register.academic_year), "year_group": p.year_group}
        for p in register.pupils
    ]
    with transaction(sessions) as session:
        session.execute(insert(PupilRow), pupils)
        session.execute(insert(PupilYear), years)


def make_register(rng: random.Random) -> Register:
    year = AcademicYear(2026)
    entries = []
    for n in range(PUPILS):
        pupil = Pupil(rng.choice(FIRST), rng.choice(LAST), year_group=str(n % 7 or "R"), id=n + 1)
        entries.append(RegisterEntry(pupil, year, twitter_consent=True))
    return Register(year, tuple(entries))


def make_followers(rng: random.Random, register: Register, now: datetime) -> list[Account]:
    pupils = register.pupils
    accounts = []
    for n in range(FOLLOWERS):
        first, last = rng.choice(ADULT_FIRST), rng.choice(LAST)
        name, handle, bio = (
            f"{first} {last}",
            f"{first.lower()}{rng.randint(1, 999)}",
            rng.choice(BIOS),
        )
        if n % 500 == 0:  # a pupil-like follower now and then
            pupil = rng.choice(pupils)
            handle = f"{pupil.first_name}_{pupil.last_name}2015".replace(" ", "")[:15]
            name = "😊"
        if n % 700 == 0:
            bio = rng.choice(CHILD_BIOS)
        accounts.append(
            Account(
                id=str(10_000_000 + n),
                username=handle,
                name=name,
                description=bio,
                created_at=now - timedelta(days=rng.randint(1, 4000)),
                post_count=rng.randint(0, 5000),
            )
        )
    return accounts


def _maxrss_mb() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return usage / (1024 * 1024) if sys.platform == "darwin" else usage / 1024


def main() -> None:
    rng = random.Random(2026)
    now = datetime(2026, 11, 25, 12, tzinfo=UTC)
    policy = load_policy()
    register = make_register(rng)
    followers = make_followers(rng, register, now)

    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'bench.sqlite3'}")
        upgrade(engine)
        sessions = make_sessionmaker(engine)
        monitoring = policy.monitoring.model_copy(update={"monthly_read_budget": 10 * FOLLOWERS})
        policy = policy.model_copy(update={"monitoring": monitoring})
        chat = CountingChat()
        ctx: MonitorContext = monitor_context(
            sessions, MemoryReader(followers), chat, policy, clock=lambda: now
        )

        store_register(sessions, register)

        rss_before = _maxrss_mb()
        cpu_start, wall_start = time.process_time(), time.perf_counter()
        report = check_school_followers(ctx)  # what the worker runs: register load included
        cpu = time.process_time() - cpu_start
        wall = time.perf_counter() - wall_start
        memory = _maxrss_mb() - rss_before

        # The checks alone (no database), for comparison.
        cpu_start = time.process_time()
        rules = AccountRules.from_policy(policy, register)
        flagged = sum(1 for account in followers if rules.follower(account, now))
        checks_cpu = time.process_time() - cpu_start
        engine.dispose()

    assert report.checked == FOLLOWERS, report
    print(f"followers checked:          {report.checked:,} in {report.read // PAGE} pages")
    print(f"register:                   {PUPILS:,} pupils ({len(rules.names):,} name keys)")
    print(f"alerts:                     {len(report.alerts):,} ({flagged:,} flagged followers)")
    print(f"CPU, whole walk:            {cpu:.2f} s (target <= {CPU_TARGET_S:.0f} s)")
    print(f"  of which the checks:      {checks_cpu:.2f} s")
    print(f"wall time:                  {wall:.2f} s")
    print(f"peak RSS growth:            {memory:.0f} MB (target <= {MEMORY_TARGET_MB:.0f} MB)")
    print(f"peak RSS (whole process):   {_maxrss_mb():.0f} MB")
    ok = cpu <= CPU_TARGET_S and memory <= MEMORY_TARGET_MB
    print("PASS" if ok else "FAIL")


if __name__ == "__main__":
    main()
