"""Names the thirteenth blind batch showed the engine missing or misreading (issue 12): a name
that opens a clause after a list, an alt text's subject, slips inside a sentence, lower-case
names in a class or a list of classmates, Welsh classes and glosses, places after "Isle of",
and grown-ups a role, a visit, a club or the kitchen team say are no children."""

from __future__ import annotations

import pytest

from chatbot.domain.findings import Finding
from chatbot.policy.engine import PolicyEngine
from tests.unit.policy_support import names_beside_a_photo as names
from tests.unit.policy_support import policy, register

PUPILS = [
    (first, "Pupil", "", True)
    for first in (
        "Hodan", "Ionuț", "Szymon", "Kofi", "Angel", "Jasmine", "Teddy", "Sky", "Duke", "Jude",
        "Honey", "Seren", "Alaw", "Struan", "Precious", "Faith", "Robin", "Isla", "Maryam",
        "Xin", "Murray",
    )
]  # fmt: skip


@pytest.fixture(scope="module")
def engine() -> PolicyEngine:
    return PolicyEngine(policy(), register(PUPILS))


def named(found_here: list[Finding], pupil: str) -> list[Finding]:
    return [f for f in found_here if pupil in f.message]


@pytest.mark.parametrize(
    ("text", "pupil"),
    [
        # a name after a list, doing something: a clause of its own, not one more item
        ("We counted to ten in Romanian, Hodan led a Somali clapping song.", "Hodan Pupil"),
        ("They went straight to the Lego, Ionut L asked about golden time.", "Ionuț Pupil"),
        ("We reached the final at Toryglen and Szymom scored the winner!", "Szymon Pupil"),
        # slips inside a sentence before a deed, or at its start before what a person is
        ("Faith kept everyone calm in the final, Angle scored 6 goals!", "Angel Pupil"),
        ("Water cycle assembly!! Jamsine was the best raindrop narrator 👏", "Jasmine Pupil"),
        # lower case: in a class, or in a list with a classmate's name that is no word
        ("that solo from teddy in y2 had half the congregation in tears", "Teddy Pupil"),
        ("y4 swimming gala 🏊 medals 4 duke, honey, jude & aria!!!", "Duke Pupil"),
        # a Welsh class
        ("Sky in B1 came as the Rainbow Fish 🌈", "Sky Pupil"),
    ],
)
def test_a_child_is_found(engine: PolicyEngine, text: str, pupil: str) -> None:
    assert named(names(engine, text), pupil), text


def test_an_alt_text_places_the_child_the_text_named_as_someone_else(
    engine: PolicyEngine,
) -> None:
    alt = "Kofi at the front of the hall holding up a printed photo of Kofi Annan"
    found_here = named(names(engine, "We learned about Kofi Annan today.", alt), "Kofi Pupil")
    assert found_here
    assert all(f.unsure for f in found_here)


@pytest.mark.parametrize(
    "text",
    [
        # words of another language, glossed
        "B2's words of the day are seren (star), haf (summer) and alaw (a tune).",
        # a place after "Isle of"
        "What would life be like on the Isle of Struay? 🏝️",
        # grown-ups: a two-word role and a comma, a visit, a named club, the kitchen team
        "A massive welcome to the newest member of our office team, Precious! 💐",
        "A very special visit from illustrator Faith, who drew a dragon live.",
        "Thank you to Senga, Isla and the whole kitchen team who cooked for 350.",
        "Special thanks to Murray, dad of two of our pupils, who piped in the haggis.",
        # kin of a figure the sentence names
        "Jesus is honoured in Islam too, as the Prophet Isa, son of Maryam.",
        # a greeting
        "Xin nian kuai le! 🧧 Happy Year of the Goat to all our families.",
        # a word with its letters swapped, and nothing done
        "Every Angle in the triangle measured 60 degrees.",
    ],
)
def test_no_child_is_found(engine: PolicyEngine, text: str) -> None:
    assert names(engine, text) == [], text


CLAUSE_PUPILS = [("Danny", "Pupil", "", True), ("Hamish", "Pupil", "", True)]


@pytest.fixture(scope="module")
def clause_engine() -> PolicyEngine:
    return PolicyEngine(policy(), register(CLAUSE_PUPILS))


def test_a_name_opening_a_clause_is_no_part_described(clause_engine: PolicyEngine) -> None:
    alt = "Shaz kneeling beside an upturned bike fixing a tyre while Danny watches"
    assert named(names(clause_engine, "Bikeability for Y5 this week 🚲", alt), "Danny Pupil")


def test_the_janny_is_a_grown_up(clause_engine: PolicyEngine) -> None:
    assert names(clause_engine, "Thank you to our janny Hamish, Santa's chief elf 🎅") == []


TEAM_PUPILS = [("Marcus", "Pupil", "", True), ("Joy", "Pupil", "", True)]


@pytest.fixture(scope="module")
def team_engine() -> PolicyEngine:
    return PolicyEngine(policy(), register(TEAM_PUPILS))


def test_a_name_beside_the_kitchen_team_is_a_grown_up(team_engine: PolicyEngine) -> None:
    assert names(team_engine, "huge thanks to chef marcus & the kitchen team 🥕") == []
    assert named(names(team_engine, "huge thanks to marcus & the netball team"), "Marcus Pupil")


def test_a_feeling_in_a_class_is_the_feeling(team_engine: PolicyEngine) -> None:
    assert names(team_engine, "first week done ✅ so much joy in reception today") == []
