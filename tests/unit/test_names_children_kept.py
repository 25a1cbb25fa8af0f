"""Children the grown-up, date, team and gloss rules must leave alone (issue 12): posts a
review of those rules wrote to find where a real pupil would be missed. Each was caught before
the rules and missed by their first versions."""

from __future__ import annotations

import pytest

from chatbot.policy.engine import PolicyEngine
from tests.unit.policy_support import names_beside_a_photo as names
from tests.unit.policy_support import policy, register

PUPILS = [
    (first, "Pupil", "", True)
    for first in (
        "Noah", "Ava", "Freya", "Ivy", "Jack", "Hope", "Grace", "Jun", "Môn", "Cai", "Seren",
        "Max", "Liam", "Will",
    )
]  # fmt: skip


@pytest.fixture(scope="module")
def engine() -> PolicyEngine:
    return PolicyEngine(policy(), register(PUPILS))


@pytest.mark.parametrize(
    ("text", "pupil"),
    [
        # a child with their family, a club, a class in brackets, a team from a class
        ("Well done to Noah, his dad and his sister who ran the Santa Dash!", "Noah"),
        ("Ava, her mum and her little brother raised £200. Amazing Ava!", "Ava"),
        ("Well done to Ava from Chess Club who won her first tournament!", "Ava"),
        ("well done to ivy (reception) and jack (year two) for their writing", "Ivy"),
        ("Well done to Ava, Noah and the team from Year 5 who won the quiz.", "Noah"),
        # children who volunteer, with a class somewhere near
        ("Thank you to our volunteers: Ava, Noah and Freya from Year 6!", "Freya"),
        ("Our Y6 reading volunteers Ava and Noah listened to Reception read.", "Ava"),
        # a child's team, thanks to a child
        ("Hope's team won the Y5 quiz this afternoon!", "Hope"),
        ("Well done Grace, thanks to you we raised £200", "Grace"),
        # children who run things, who want to be things, who play at shops
        ("Ava and Noah will be running football sessions for Y3 at lunchtime.", "Noah"),
        ("Noah, our future architect, built a tower.", "Noah"),
        ("Freya at the pretend shop counting coins.", "Freya"),
        ("Noah at the bakery on our Reception trip", "Noah"),
        ("Proud puppy owner Noah brought Biscuit in", "Noah"),
        ("Noah (mum helped!) made a fantastic volcano.", "Noah"),
        ("Ava visited the pharmacy. Ava runs the class shop.", "Ava"),
        ("Ava from the ARC made a card", "Ava"),
        # no date, no figure
        ("Star of the Week for Class 4: Jun", "Jun"),
        ("Football results: Môn 2, Cai 1", "Môn"),
        ("Ava was the angel of the Lord and Noah was Joseph.", "Ava"),
        ("Ava, Noah and the parents who helped at the fair - thank you!", "Ava"),
        # a word in a class is no gloss; a child praised after a grown-up of that name
        ("well done to cai (derbyn) for his reading", "Cai"),
        ("Thank you to Seren from the PTA. Well done to Seren for winning the raffle!", "Seren"),
        # a yoga series and a class novel name no cast
        ("Cosmic Kids yoga every morning this week. Max and Liam were experts!", "Max"),
        ("Year 6 have finished reading Wonder. Will wrote a brilliant review.", "Will"),
    ],
)
def test_the_child_is_still_found(engine: PolicyEngine, text: str, pupil: str) -> None:
    assert any(f"{pupil} Pupil" in f.message for f in names(engine, text)), text
