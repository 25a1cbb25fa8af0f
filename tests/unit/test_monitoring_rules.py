"""The monitors' rules on their own: what SLT want to see, and what they do not."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from chatbot.domain.academic_year import AcademicYear
from chatbot.domain.pupils import Pupil, Register, RegisterEntry
from chatbot.policy.engine import load_policy
from chatbot.services.monitoring.child_bio import ChildBioDetector
from chatbot.services.monitoring.pupil_names import PupilNameIndex
from chatbot.services.monitoring.rules import (
    AccountRules,
    Flag,
    NewAccountRule,
    TextRules,
    mention_flags,
)
from chatbot.services.monitoring.store import evidence_key
from chatbot.services.ports import Account, Mention

YEAR = AcademicYear(2026)


def _register(*pupils: Pupil) -> Register:
    return Register(YEAR, tuple(RegisterEntry(p, YEAR, True) for p in pupils))


ZOE = Pupil("Zoë", "Smith", year_group="5", id=1)
MO = Pupil("Mohammed", "Khan", preferred_name="Mo", year_group="6", id=2)
ANNE = Pupil("Anne-Marie", "van der Berg", year_group="3", id=3)
INDEX = PupilNameIndex(_register(ZOE, MO, ANNE))


@pytest.mark.parametrize(
    ("name", "handle", "expected"),
    [
        ("Zoe Smith", "abc", (1, "name")),
        ("ZOË SMITH 💕", "abc", (1, "name")),
        ("𝓩𝓸𝓮 𝓢𝓶𝓲𝓽𝓱", "abc", (1, "name")),
        ("Smith Zoe", "abc", (1, "name")),
        ("x", "zoe_smith2015", (1, "handle")),
        ("x", "ZoeSmith", (1, "handle")),
        ("x", "zoesmith", (1, "handle")),
        ("x", "xXzoesmithXx", (1, "handle")),
        ("x", "@itszoesmith", (1, "handle")),
        ("Mo Khan", "abc", (2, "name")),
        ("x", "mohammed_khan_10", (2, "handle")),
        ("Anne-Marie van der Berg", "abc", (3, "name")),
        ("x", "annemarievanderberg", (3, "handle")),
    ],
)
def test_names_and_handles_like_a_pupils(name: str, handle: str, expected: tuple[int, str]) -> None:
    hit = INDEX.match(name, handle)
    assert hit is not None
    assert (hit.pupil_id, hit.field) == expected


@pytest.mark.parametrize(
    ("name", "handle"),
    [
        ("Zoe", "zoe2015"),  # a first name alone is too common to mean anything
        ("Smith", "smithy"),
        ("Zoe Smithson", "zoesmithson"),  # a longer word is another name
        ("Mrs Khan", "mrskhan"),
        ("Mo", "mo_salah_fan"),
        ("Zoe Jones", "zoe_jones"),
    ],
)
def test_other_names_are_not_pupils(name: str, handle: str) -> None:
    assert INDEX.match(name, handle) is None


DETECTOR = ChildBioDetector("Hunts Cross Primary School", "HuntsCrossPri")


@pytest.mark.parametrize(
    ("bio", "evidence"),
    [
        ("Year 5 at Hunts Cross 🦄", "year 5 · hunts cross"),
        ("y6 HCPS football ⚽", "y6"),
        ("I'm 11! Love slime and Roblox", "i'm 11"),
        ("im 9 and i like cats", "im 9"),
        ("10 yrs old. Minecraft.", "10 yrs old"),
        ("gamer, 12yo", "12yo"),
        ("Age: 8", "age: 8"),
        ("I am ten years old", "i am ten"),
        ("Reception class at @HuntsCrossPri", "reception · @huntscrosspri"),
    ],
)
def test_bios_that_read_like_a_childs(bio: str, evidence: str) -> None:
    signal = DETECTOR.check(bio)
    assert signal is not None
    assert signal.evidence == evidence


@pytest.mark.parametrize(
    "bio",
    [
        "Mum of two, Year 6 teacher",
        "Proud mum of a Year 5 at Hunts Cross",
        "Dad to 3 boys aged 4, 7 and 10",
        "Teacher of children aged 7-11",
        "Mum of a 10 year old and a dog",
        "My 9yo is obsessed with dinosaurs",
        "Y6 lead, maths, coffee",
        "I'm 10 years into teaching",
        "I'm 35, runner",
        "Hunts Cross Primary School governor",
        "Proud of Hunts Cross!",
        "Class of 2015",
        "Top 5 football podcast",
        "",
    ],
)
def test_adults_are_not_flagged(bio: str) -> None:
    assert DETECTOR.check(bio) is None


POLICY = load_policy()
RULES = TextRules.from_policy(POLICY)


def _account(**kwargs: object) -> Account:
    defaults: dict[str, object] = {"id": "1", "username": "someone", "name": "Someone"}
    return Account(**{**defaults, **kwargs})  # type: ignore[arg-type]


def test_follower_flags_carry_pupil_ids_not_names() -> None:
    rules = AccountRules.from_policy(POLICY, _register(ZOE))
    now = datetime(2026, 11, 25, tzinfo=UTC)
    flags = rules.follower(_account(name="Zoe Smith", description="Year 5 at Hunts Cross"), now)
    assert [f.rule for f in flags] == ["pupil-name", "child-bio"]
    assert flags[0].pupil_id == 1
    assert "Zo" not in flags[0].evidence
    assert "Smith" not in flags[0].evidence


def test_offensive_and_extremist_names_and_bios() -> None:
    rules = AccountRules.from_policy(POLICY, _register())
    now = datetime(2026, 11, 25, tzinfo=UTC)
    rude = rules.follower(_account(name="f*ck school"), now)
    extreme = rules.follower(_account(description="wh1te p0wer forever"), now)
    safe = rules.follower(
        _account(name="Scunthorpe United fan", description="Dick Whittington"), now
    )
    assert [(f.rule, f.evidence) for f in rude] == [("offensive", "display name: “f*ck”")]
    assert [f.rule for f in extreme] == ["extremism"]
    assert safe == []


def test_new_empty_accounts_only_when_the_policy_says_so() -> None:
    now = datetime(2026, 11, 25, tzinfo=UTC)
    shell = _account(created_at=now - timedelta(days=2), post_count=0, description="")
    older = _account(created_at=now - timedelta(days=200), post_count=0, description="")
    assert NewAccountRule(enabled=False).check(shell, now) is None
    rule = NewAccountRule(enabled=True, max_age=timedelta(days=14))
    flag = rule.check(shell, now)
    assert flag is not None
    assert flag.rule == "new-empty-account"
    assert rule.check(older, now) is None
    assert rule.check(_account(created_at=now, post_count=3), now) is None


def test_mentions_offensive_extremist_undermining() -> None:
    def flags(text: str) -> list[str]:
        return [f.rule for f in mention_flags(Mention("1", "2", "x", text), RULES)]

    assert flags("@HuntsCrossPri what a sh1t show") == ["offensive"]
    assert flags("@HuntsCrossPri worst school in Liverpool") == ["undermining"]
    assert flags("@HuntsCrossPri Useless   Teachers!") == ["undermining"]
    assert flags("white power @HuntsCrossPri") == ["extremism"]
    assert flags("@HuntsCrossPri lovely assembly, thank you!") == []
    assert flags("@HuntsCrossPri the worst schoolbag ever lol") == []  # whole words only


def test_evidence_key_changes_only_with_the_evidence() -> None:
    a = Flag("child-bio", "bio: “year 5”")
    assert evidence_key(a) == evidence_key(Flag("child-bio", "bio: “year 5”"))
    assert evidence_key(a) != evidence_key(Flag("child-bio", "bio: “year 6”"))
    assert evidence_key(a) != evidence_key(a, "post-2")
    assert len(evidence_key(a)) == 64


def test_every_monitor_runs_at_the_interval_the_policy_file_sets() -> None:
    from types import SimpleNamespace

    from chatbot.adapters.x import LIMITS as X_LIMITS
    from chatbot.services.monitoring.schedule import register_monitors

    policy = load_policy()
    assert policy.monitoring.following_interval_minutes == 1440  # as the school's file says
    changed = policy.monitoring.model_copy(update={"following_interval_minutes": 90})
    policy = policy.model_copy(update={"monitoring": changed})

    class Timetable:
        def __init__(self) -> None:
            self.every: dict[str, timedelta] = {}

        def add_periodic(self, name: str, every: timedelta, task: object) -> None:
            self.every[name] = every

    timetable = Timetable()
    reader = SimpleNamespace(limits=X_LIMITS)  # never read: only the timetable is looked at
    register_monitors(timetable, None, reader, None, policy)  # type: ignore[arg-type]
    assert timetable.every == {
        "monitor-followers": timedelta(hours=6),
        "monitor-staff": timedelta(hours=12),
        "monitor-mentions": timedelta(hours=1),
        "monitor-following": timedelta(minutes=90),
    }
