"""The safeguarding monitors end to end: real tweepy (XReader) against the fake X server, a real
database (SQLite or PostgreSQL), and a recording chat gateway standing in for Slack."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from chatbot.adapters.db.db import transaction
from chatbot.adapters.db.models import Alert, AuditEntry, KeyValue, SeenAccount, utcnow
from chatbot.adapters.slack.gateway import WORDS as SLACK_WORDS
from chatbot.adapters.x import LIMITS as X_LIMITS
from chatbot.adapters.x.connection import Connection
from chatbot.adapters.x.reader import XReader
from chatbot.domain.academic_year import AcademicYear
from chatbot.domain.chat_words import ChatWords
from chatbot.domain.messages import Telling, as_message
from chatbot.policy.engine import load_policy
from chatbot.policy.model import Policy
from chatbot.services.monitoring import (
    AlertDecision,
    AlertStale,
    MonitorContext,
    decide_alert,
    hide_reply,
    monitor_context,
    mute_author,
    record_staff_block,
    run_monitor,
)
from chatbot.services.monitoring.staff import add_staff, remove_staff
from chatbot.services.registers import import_roster
from chatbot.services.roster_csv import parse_roster
from tests.fakes.x_server import (
    ACCESS_TOKEN,
    ACCESS_TOKEN_SECRET,
    CONSUMER_KEY,
    CONSUMER_SECRET,
)
from tests.fakes.x_social import (
    FOLLOWERS,
    FOLLOWING,
    MENTIONS,
    NOT_ENROLLED,
    SocialX,
)
from tests.fakes.x_social import social_x as social_x  # noqa: PLC0414 (fixture)

SCHOOL = "1000"  # the fake's account id


@dataclass
class RecordingChat:
    """Stands in for the Slack gateway (the port), recording what would be said."""

    words: ChatWords = SLACK_WORDS
    alerts: list[int] = field(default_factory=list)
    approvers: list[str] = field(default_factory=list)
    dms: list[tuple[str, str]] = field(default_factory=list)

    def refresh_card(self, draft_id: int) -> None: ...
    def tell_author(self, draft_id: int, text: Telling) -> None: ...

    def notify_approvers(self, text: Telling) -> None:
        self.approvers.append(as_message(text).plain)

    def post_alert(self, alert_id: int) -> None:
        self.alerts.append(alert_id)

    def direct_message(self, user_id: str, text: Telling) -> None:
        self.dms.append((user_id, as_message(text).plain))

    def show_past_posts(self, review_id: int) -> None: ...


@dataclass
class BlockingChat(RecordingChat):
    asked: list[tuple[int, str, str]] = field(default_factory=list)

    def ask_to_block(self, alert_id: int, user_id: str, text: Telling) -> None:
        self.asked.append((alert_id, user_id, as_message(text).plain))


def _roster(sessions: sessionmaker[Session]) -> None:
    year = AcademicYear.at(utcnow())
    csv = (
        "first_name,last_name,preferred_name,year_group,academic_year,twitter_consent,"
        "website_consent\n"
        f"Zoë,Smith,,5,{year},yes,yes\n"
        f"Mohammed,Khan,Mo,6,{year},yes,yes\n"
        f"Summer,Jones,,2,{year},no,yes\n"
    )
    with transaction(sessions) as session:
        import_roster(session, parse_roster(csv.encode()), actor="test", source="roster.csv")


def _reader(fake: SocialX, clock: Any = time.time, **kwargs: Any) -> XReader:
    return XReader(
        Connection(
            consumer_key=CONSUMER_KEY,
            consumer_secret=CONSUMER_SECRET,
            access_token=ACCESS_TOKEN,
            access_token_secret=ACCESS_TOKEN_SECRET,
            api_url=fake.url,
            **kwargs,
        ),
        clock=clock,
    )


def _policy(budget: int | None = None) -> Policy:
    policy = load_policy()
    if budget is None:
        return policy
    monitoring = policy.monitoring.model_copy(update={"monthly_read_budget": budget})
    return policy.model_copy(update={"monitoring": monitoring})


@pytest.fixture
def world(
    sessions: sessionmaker[Session], social_x: SocialX
) -> tuple[MonitorContext, SocialX, RecordingChat]:
    _roster(sessions)
    chat = RecordingChat()
    ctx = monitor_context(sessions, _reader(social_x), chat, _policy())
    return ctx, social_x, chat


def _alerts(sessions: sessionmaker[Session]) -> list[Alert]:
    with transaction(sessions) as session:
        return list(session.scalars(select(Alert).order_by(Alert.id)))


def _crowd(fake: SocialX, count: int, of: str | None = None) -> None:
    for n in range(count):
        fake.follow(fake.user(f"reader{n}", f"Reader {n}", "Likes books and walks."), of)


# -- the school's followers ---------------------------------------------------------------------


def test_followers_flags_pupil_like_accounts_once(world: Any) -> None:
    ctx, fake, chat = world
    _crowd(fake, 1500)
    by_name = fake.user("sunnyday", "Zoe Smith 💕", "")
    by_handle = fake.user("MoKhan2015", "M", "football")
    child = fake.user("gamer_girl", "Lily", "Year 5 at Hunts Cross 🦄 11 yrs old")
    rude = fake.user("angry1", "Sh1t happens", "")
    parent = fake.user("proudmum", "Jane", "Mum of two, Year 6 teacher at Hunts Cross")
    for account in (by_name, by_handle, child, rude, parent):
        fake.follow(account)
    _crowd(fake, 700)  # the newest followers, on top

    report = run_monitor(ctx, "followers")

    assert report.complete
    assert report.stopped is None
    assert report.read == report.checked == 2205
    assert len(fake.calls(FOLLOWERS)) == 3  # 1000 + 1000 + 205
    alerts = _alerts(ctx.sessions)
    flagged = {(a.subject_handle, a.rule) for a in alerts}
    assert flagged == {
        ("sunnyday", "pupil-name"),
        ("MoKhan2015", "pupil-name"),
        ("gamer_girl", "child-bio"),
        ("angry1", "offensive"),
    }
    assert chat.alerts == [a.id for a in alerts]  # a card for each, once committed
    name_alert = next(a for a in alerts if a.subject_handle == "sunnyday")
    # The database keeps the pupil's id, never the pupil's (or the follower's) name.
    assert name_alert.pupil_id is not None
    assert "Zo" not in name_alert.evidence
    assert "Smith" not in name_alert.evidence
    assert name_alert.subject_id == by_name["id"]
    assert name_alert.kind == "follower"

    # A second run reads only the page with the new follower and alerts nothing twice.
    newcomer = fake.user("zoe_smith2015", "zz", "")
    fake.follow(newcomer)
    again = run_monitor(ctx, "followers")
    assert again.checked == 1
    assert len(fake.calls(FOLLOWERS)) == 4
    assert [a.subject_handle for a in _alerts(ctx.sessions)[len(alerts) :]] == ["zoe_smith2015"]
    with transaction(ctx.sessions) as session:
        assert session.scalar(select(func.count()).select_from(SeenAccount)) == 2206


def test_a_pupil_new_on_the_register_is_checked_against_followers_seen_before(
    world: Any,
) -> None:
    ctx, fake, chat = world
    _crowd(fake, 3)
    fake.follow(fake.user("ruby_patel15", "Ruby", ""))  # nobody on the register yet
    fake.follow(fake.user("sunnyday", "Zoe Smith", ""))
    run_monitor(ctx, "followers")
    assert [a.subject_handle for a in _alerts(ctx.sessions)] == ["sunnyday"]
    run_monitor(ctx, "followers")  # same register: only the top page, nothing new
    assert len(fake.calls(FOLLOWERS)) == 2

    year = AcademicYear.at(utcnow())
    csv = (
        "first_name,last_name,preferred_name,year_group,academic_year,twitter_consent,"
        f"website_consent\nRuby,Patel,,R,{year},no,no\n"
    )
    with transaction(ctx.sessions) as session:
        import_roster(session, parse_roster(csv.encode()), actor="test", source="new.csv")
    again = run_monitor(ctx, "followers")

    assert again.checked == 5  # everyone once more
    assert [a.subject_handle for a in _alerts(ctx.sessions)] == ["sunnyday", "ruby_patel15"]
    assert len(chat.alerts) == 2  # the old match is not alerted twice


def test_rate_limit_mid_crawl_resumes_without_rereading(
    sessions: sessionmaker[Session], social_x: SocialX
) -> None:
    _roster(sessions)
    chat = RecordingChat()
    # X's reset time is read against the reader's clock: a fixed one, far from the real time,
    # so the wait is exactly 900 s however slow the run (and wrong if the clock were ignored).
    x_now = 2_000_000_000.0
    reader = _reader(social_x, clock=lambda: x_now)
    ctx, fake = monitor_context(sessions, reader, chat, _policy()), social_x
    fake.follow(fake.user("zoesmith", "Z", ""))  # the oldest: on the last page
    _crowd(fake, 2500)

    fake.rate_limit_page(1000, int(x_now) + 900)  # the second page of the first crawl
    first = run_monitor(ctx, "followers")
    assert first.stopped is not None
    assert "rate limit" in first.stopped
    assert " for 900 s" in first.stopped  # from x-rate-limit-reset
    assert first.checked == 1000
    assert not _alerts(ctx.sessions)

    # Meanwhile three more follow. The next run reads them, then carries on from page two
    # (not from the top again: each page is a paid read).
    _crowd(fake, 3)
    second = run_monitor(ctx, "followers")
    assert second.complete
    assert second.checked == 1504
    assert second.read == 1000 + 1000 + 504  # the top page, then pages two and three
    assert [a.subject_handle for a in _alerts(ctx.sessions)] == ["zoesmith"]
    assert chat.alerts == [a.id for a in _alerts(ctx.sessions)]
    tokens = [c.query.get("pagination_token") for c in fake.calls(FOLLOWERS)]
    assert tokens == [None, "page000000001000", None, "page000000001000", "page000000002000"]
    with transaction(ctx.sessions) as session:
        assert session.scalar(select(func.count()).select_from(SeenAccount)) == 2504


def test_read_budget_pauses_monitors_with_one_alert(
    sessions: sessionmaker[Session], social_x: SocialX
) -> None:
    _roster(sessions)
    chat = RecordingChat()
    ctx = monitor_context(sessions, _reader(social_x), chat, _policy(budget=250))
    _crowd(social_x, 600)

    first = run_monitor(ctx, "followers")
    second = run_monitor(ctx, "followers")
    third = run_monitor(ctx, "mentions")

    assert first.stopped
    assert "budget" in first.stopped
    assert second.stopped
    assert third.stopped
    assert len(chat.approvers) == 1
    assert "250" in chat.approvers[0]
    # me() costs one read, then pages sized to what is left: never past the budget.
    asked = [int(r.query["max_results"]) for r in social_x.calls(FOLLOWERS)]
    assert asked == [249]
    assert social_x.calls(MENTIONS) == []
    with transaction(sessions) as session:
        reads = [
            kv.value for kv in session.scalars(select(KeyValue)) if kv.key.startswith("x_reads:")
        ]
    assert reads == [{"reads": 250}]


def test_revoked_keys_are_told_to_slt_once_and_again_after_a_recovery(world: Any) -> None:
    ctx, fake, chat = world
    unauthorized = {"title": "Unauthorized", "type": "about:blank", "status": 401}
    fake.fail(FOLLOWERS, 401, unauthorized)
    fake.fail(MENTIONS, 401, unauthorized)

    first = run_monitor(ctx, "followers")
    run_monitor(ctx, "mentions")

    assert first.credentials_refused
    [told] = chat.approvers
    assert "CHATBOT_X_" in told
    assert "restart" in told
    run_monitor(ctx, "staff")  # nobody to check: proves nothing about the keys
    fake.fail(MENTIONS, 401, unauthorized)
    run_monitor(ctx, "mentions")
    assert len(chat.approvers) == 1

    _crowd(fake, 1)
    run_monitor(ctx, "followers")  # X answers again: the keys were fixed
    fake.fail(FOLLOWERS, 401, unauthorized)
    run_monitor(ctx, "followers")
    assert len(chat.approvers) == 2


# -- staff accounts ---------------------------------------------------------------------------


def test_pupil_following_staff_alerts_and_asks_the_member_of_staff(
    sessions: sessionmaker[Session], social_x: SocialX
) -> None:
    _roster(sessions)
    chat = BlockingChat()
    ctx = monitor_context(sessions, _reader(social_x), chat, _policy())
    teacher = social_x.user("MrsTeach", "Mrs Teach", "Year 5 teacher")
    with transaction(sessions) as session:
        add_staff(session, "@MrsTeach", "U0TEACHER1", actor="cli:office")
    _crowd(social_x, 30, of=teacher["id"])
    pupil = social_x.user("summer_jones", "sj", "")
    social_x.follow(pupil, of=teacher["id"])
    social_x.follow(social_x.user("zoe_smith", "Zoe Smith", ""))  # follows the school: not here

    report = run_monitor(ctx, "staff")
    again = run_monitor(ctx, "staff")

    assert report.checked == 31
    assert again.checked == 0
    alerts = _alerts(sessions)
    assert [(a.kind, a.subject_handle, a.rule) for a in alerts] == [
        ("staff_follower", "summer_jones", "pupil-name")
    ]
    assert alerts[0].staff_account_id is not None
    assert chat.alerts == [alerts[0].id]
    assert len(chat.asked) == 1
    alert_id, user, text = chat.asked[0]
    assert (alert_id, user) == (alerts[0].id, "U0TEACHER1")
    assert "block @summer_jones" in text
    assert "SLT" in text
    assert "Summer" not in text.replace("summer_jones", "")  # the pupil's name is not repeated

    # Only that member of staff can say they blocked; it is audited.
    with pytest.raises(PermissionError):
        record_staff_block(sessions, alert_id, "U0SOMEONE9")
    assert record_staff_block(sessions, alert_id, "U0TEACHER1") == "mrsteach"
    with transaction(sessions) as session:
        actions = list(session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))
    assert actions[-1] == "alert_staff_blocked"
    assert "staff_opt_in" in actions

    # Opting out forgets which followers were checked (data minimisation).
    with transaction(sessions) as session:
        remove_staff(session, "mrsteach", actor="cli:office")
    with transaction(sessions) as session:
        assert session.scalar(select(func.count()).select_from(SeenAccount)) == 0


def test_staff_dm_falls_back_to_a_plain_message(world: Any) -> None:
    ctx, fake, chat = world
    teacher = fake.user("MrTeach", "Mr Teach", "")
    with transaction(ctx.sessions) as session:
        add_staff(session, "MrTeach", "U0TEACHER2", actor="cli:office")
    fake.follow(fake.user("kid", "Mo Khan", "I'm 10!"), of=teacher["id"])
    run_monitor(ctx, "staff")
    assert [user for user, _ in chat.dms] == ["U0TEACHER2"]  # one message, two flags
    assert {a.rule for a in _alerts(ctx.sessions)} == {"pupil-name", "child-bio"}


# -- mentions ---------------------------------------------------------------------------------


def test_mentions_since_the_last_one_checked(world: Any) -> None:
    ctx, fake, chat = world
    troll = fake.user("troll", "Troll", "")
    fan = fake.user("fan", "Fan", "")
    fake.mention(fan, "Old news @HuntsCrossPri worst school")  # before the first run
    first = run_monitor(ctx, "mentions")
    assert first.read == 1
    assert first.checked == 1

    for n in range(120):
        fake.mention(fan, f"Lovely assembly @HuntsCrossPri {n}")
    rude = fake.mention(troll, "@HuntsCrossPri f*ck this", reply_to="1900")
    fake.mention(troll, "@HuntsCrossPri useless teachers here")
    fake.mention(troll, "@HuntsCrossPri white power")
    chat.alerts.clear()

    second = run_monitor(ctx, "mentions")
    assert second.checked == 123
    assert second.complete
    calls = fake.calls(MENTIONS)
    assert len(calls) == 3  # 1 first run + 2 pages of 100
    assert all(c.query["since_id"] == calls[1].query["since_id"] for c in calls[1:])
    rules = {(a.kind, a.rule) for a in _alerts(ctx.sessions)}
    assert rules == {
        ("mention", "undermining"),  # "worst school", from the first run
        ("reply", "offensive"),
        ("mention", "undermining"),
        ("mention", "extremism"),
    }
    reply = next(a for a in _alerts(ctx.sessions) if a.kind == "reply")
    assert reply.post_id == rude["id"]
    assert reply.subject_id == troll["id"]

    third = run_monitor(ctx, "mentions")
    assert third.read == 0
    assert len(_alerts(ctx.sessions)) == 4


def test_hide_and_mute_reach_x_signed_and_are_audited(world: Any) -> None:
    ctx, fake, _ = world
    troll = fake.user("troll", "Troll", "")
    run_monitor(ctx, "mentions")
    fake.mention(troll, "@HuntsCrossPri shit school", reply_to="1900")
    run_monitor(ctx, "mentions")
    (alert,) = [a for a in _alerts(ctx.sessions) if a.rule == "offensive"]

    hide_reply(ctx.sessions, ctx.reader, alert.id, "U0SLT00001")
    mute_author(ctx.sessions, ctx.reader, alert.id, "U0SLT00001")
    decide_alert(ctx.sessions, alert.id, "U0SLT00002", AlertDecision.ACTIONED, "blocked in app")

    assert fake.hidden == [alert.post_id]
    assert fake.muted == [troll["id"]]
    # Both went as the school account, OAuth 1.0a signed (the fake verifies the signature).
    for operation in ("PUT /2/tweets/{tweet_id}/hidden", "POST /2/users/{id}/muting"):
        (call,) = fake.calls(operation)
        assert call.oauth["oauth_token"] == ACCESS_TOKEN
    with transaction(ctx.sessions) as session:
        rows = list(session.scalars(select(AuditEntry).where(AuditEntry.action.like("alert_%"))))
        final = session.get(Alert, alert.id)
    assert [r.action for r in rows] == ["alert_hidden", "alert_muted", "alert_actioned"]
    assert rows[-1].reason == "blocked in app"
    assert rows[-1].detail == {
        "alert_id": alert.id,
        "kind": "reply",
        "rule": "offensive",
    }
    assert final is not None
    assert final.state == "actioned"
    assert final.decided_by == "U0SLT00002"
    with pytest.raises(AlertStale, match="already actioned by U0SLT00002"):
        decide_alert(ctx.sessions, alert.id, "U0SLT00001", AlertDecision.DISMISSED, "fine")


def test_dismiss_needs_an_open_alert_and_happens_once(world: Any) -> None:
    ctx, fake, _ = world
    fake.follow(fake.user("zoesmith", "", ""))
    run_monitor(ctx, "followers")
    (alert,) = _alerts(ctx.sessions)
    decide_alert(ctx.sessions, alert.id, "U0SLT00001", "dismissed", "her aunt, also Zoe Smith")
    with pytest.raises(AlertStale):
        decide_alert(ctx.sessions, alert.id, "U0SLT00002", "dismissed", "again")
    with pytest.raises(AlertStale):
        mute_author(ctx.sessions, ctx.reader, alert.id, "U0SLT00002")
    assert fake.muted == []  # refused before X was asked
    with transaction(ctx.sessions) as session:
        n = session.scalar(
            select(func.count()).select_from(AuditEntry).where(AuditEntry.action.like("alert_%"))
        )
    assert n == 1


# -- who the school follows -------------------------------------------------------------------


def test_following_refused_is_said_once_and_not_asked_again(world: Any) -> None:
    ctx, fake, chat = world
    fake.fail(FOLLOWING, 403, NOT_ENROLLED)
    first = run_monitor(ctx, "following")
    second = run_monitor(ctx, "following")
    assert first.stopped
    assert second.stopped
    assert len(fake.calls(FOLLOWING)) == 1
    assert len(chat.approvers) == 1
    assert "will not ask X again" in chat.approvers[0]


def test_following_off_the_allowed_list_is_reported(world: Any) -> None:
    ctx, fake, chat = world
    fake.following_of[SCHOOL] = [fake.user("randomshop", "Shop", ""), fake.user("ofstednews")]
    run_monitor(ctx, "following")
    run_monitor(ctx, "following")  # nothing new: nothing said
    assert len(chat.approvers) == 1
    assert "@randomshop" in chat.approvers[0]


def test_bearer_token_reads_app_only(sessions: sessionmaker[Session], social_x: SocialX) -> None:
    social_x.bearer_token = "fake-bearer"
    reader = _reader(social_x, bearer_token="fake-bearer")
    social_x.follow(social_x.user("someone"))
    page = reader.followers(SCHOOL)
    assert [a.username for a in page.items] == ["someone"]
    (call,) = social_x.calls(FOLLOWERS)
    assert call.headers["Authorization"] == "Bearer fake-bearer"
    assert call.oauth == {}


# -- on the worker's timetable, and cards that could not be posted ------------------------------


def test_monitors_run_on_the_worker_at_the_policy_intervals(
    sessions: sessionmaker[Session], social_x: SocialX
) -> None:
    from chatbot.adapters.db.models import PeriodicTask
    from chatbot.adapters.x.dryrun import DryRunPublisher
    from chatbot.services.monitoring import register_monitors
    from chatbot.worker import Worker

    _roster(sessions)
    chat = RecordingChat()
    worker = Worker(sessions, DryRunPublisher(), chat)
    register_monitors(worker, sessions, _reader(social_x), chat, _policy())
    social_x.follow(social_x.user("zoesmith"))
    social_x.mention(social_x.user("troll"), "@HuntsCrossPri worst school")

    worker.run_once()  # every monitor is due at once
    social_x.follow(social_x.user("zoe_smith"))
    worker.run_once()  # nothing is due again yet

    assert len(social_x.calls(FOLLOWERS)) == 1
    assert len(social_x.calls(MENTIONS)) == 1
    assert [(a.subject_handle, a.rule) for a in _alerts(sessions)] == [
        ("zoesmith", "pupil-name"),
        ("troll", "undermining"),
    ]
    with transaction(sessions) as session:
        tasks = {t.name: t for t in session.scalars(select(PeriodicTask))}
    policy = _policy().monitoring
    for name, minutes in (
        ("monitor-followers", policy.followers_interval_minutes),
        ("monitor-staff", policy.staff_followers_interval_minutes),
        ("monitor-mentions", policy.mentions_interval_minutes),
    ):
        task = tasks[name]
        assert task.last_error is None
        assert task.last_run_at is not None
        gap = task.next_run_at - task.last_run_at
        assert abs(gap.total_seconds() - minutes * 60) < 5
    assert tasks["monitor-mentions"].cursor is not None  # the mentions cursor lives there too


@dataclass
class FlakyChat(RecordingChat):
    down: bool = True

    def post_alert(self, alert_id: int) -> None:
        if self.down:
            raise ConnectionError("Slack is down")
        super().post_alert(alert_id)


def test_a_card_slack_refused_is_posted_on_the_next_run(
    sessions: sessionmaker[Session], social_x: SocialX
) -> None:
    _roster(sessions)
    chat = FlakyChat()
    ctx = monitor_context(sessions, _reader(social_x), chat, _policy())
    social_x.follow(social_x.user("zoesmith"))
    run_monitor(ctx, "followers")
    assert chat.alerts == []
    chat.down = False
    run_monitor(ctx, "mentions")  # any monitor's next run
    run_monitor(ctx, "mentions")
    assert chat.alerts == [a.id for a in _alerts(sessions)]


def test_a_card_survives_crashes_before_and_while_it_is_posted(
    sessions: sessionmaker[Session], social_x: SocialX
) -> None:
    class Killed(BaseException):
        """The process stopped (SIGKILL, a deploy) in the middle of posting."""

    def killed(alert_id: int) -> None:
        raise Killed

    _roster(sessions)
    chat = RecordingChat()
    ctx = monitor_context(sessions, _reader(social_x), chat, _policy())
    social_x.follow(social_x.user("zoesmith"))
    chat.post_alert = killed  # type: ignore[method-assign]
    with pytest.raises(Killed):  # the alert is committed, its card not yet posted
        run_monitor(ctx, "followers")
    with pytest.raises(Killed):  # and again while the next run posts it
        run_monitor(ctx, "mentions")

    del chat.post_alert  # Slack works again
    run_monitor(ctx, "mentions")
    run_monitor(ctx, "mentions")

    assert chat.alerts == [a.id for a in _alerts(sessions)]
    assert len(chat.alerts) == 1


def test_cards_queued_by_several_processes_at_once_are_all_kept(
    sessions: sessionmaker[Session],
) -> None:
    import threading

    from chatbot.services.monitoring.context import UNPOSTED_KEY, queue_cards

    start = threading.Barrier(4)
    errors: list[BaseException] = []

    def queue(first: int) -> None:
        try:
            start.wait()
            for n in range(first, first + 20):
                with transaction(sessions) as session:
                    queue_cards(session, [n])
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=queue, args=(k * 100,)) for k in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with transaction(sessions) as session:
        kept = (session.get(KeyValue, UNPOSTED_KEY) or KeyValue()).value["ids"]
    assert kept == [k * 100 + n for k in range(4) for n in range(20)]


def test_a_protected_staff_account_does_not_stop_the_others(world: Any) -> None:
    ctx, fake, chat = world
    first, second = fake.user("Protected1"), fake.user("OpenTeach")
    with transaction(ctx.sessions) as session:
        add_staff(session, "Protected1", "U0TEACHER3", actor="test")
        add_staff(session, "OpenTeach", "U0TEACHER4", actor="test")
    fake.follow(fake.user("zoesmith"), of=second["id"])
    authorization = {
        "title": "Authorization Error",
        "type": "about:blank",
        "status": 403,
        "detail": "Sorry, you are not authorized to see this user's followers.",
    }
    fake.fail(FOLLOWERS, 403, authorization)

    report = run_monitor(ctx, "staff")

    assert report.stopped is not None
    assert "403" in report.stopped
    assert [a.subject_handle for a in _alerts(ctx.sessions)] == ["zoesmith"]
    assert [user for user, _ in chat.dms] == ["U0TEACHER4"]
    assert first["id"] in fake.calls(FOLLOWERS)[0].path


def test_logs_carry_no_names_or_tokens(world: Any, caplog: pytest.LogCaptureFixture) -> None:
    ctx, fake, _ = world
    caplog.set_level(logging.DEBUG)
    fake.follow(fake.user("zoe_smith2015", "Zoe Smith", "Year 5 at Hunts Cross"))
    fake.rate_limit(MENTIONS, int(time.time()) + 60)
    run_monitor(ctx, "followers")
    run_monitor(ctx, "mentions")
    logged = caplog.text
    assert "followers: read 1, checked 1 new, 2 alert(s)" in logged
    assert "rate limit" in logged
    for secret in ("Zoe", "Smith", "zoe_smith", ACCESS_TOKEN, ACCESS_TOKEN_SECRET, CONSUMER_SECRET):
        assert secret not in logged


def test_reads_counted_by_two_processes_at_once_are_all_counted(
    sessions: sessionmaker[Session],
) -> None:
    import threading

    from chatbot.services.monitoring.budget import ReadBudget

    budget = ReadBudget(sessions, 10_000, RecordingChat(), network=X_LIMITS)
    start = threading.Barrier(4)
    errors: list[BaseException] = []

    def charge() -> None:
        try:
            start.wait()
            for _ in range(25):
                budget.charge(3)
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=charge) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert budget.used() == 4 * 25 * 3
    assert budget.remaining() == 10_000 - 300
