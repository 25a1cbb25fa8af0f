"""Names in lists of children and slips typed in a hurry (issue 12, ninth corpus batch): a
word-name among pupils' names, a slip of a first name before the pupil's own surname, and
lower-case slips followed by what the child did."""

from __future__ import annotations

import pytest

from chatbot.domain.findings import Finding
from chatbot.policy.engine import PolicyEngine
from tests.unit.policy_support import check, found, photo, policy, register

PUPILS = [
    ("Thea", "Stokes", "", True),
    ("Maeve", "Taylor", "", True),
    ("Rose", "Davies", "", True),
    ("Delia", "Barbu", "", True),
    ("Purity", "Okeke", "", True),
    ("Antonia", "Ionescu", "", True),
    ("Eden", "Clark", "", True),
    ("Angel", "Davies", "", True),
    ("Harper", "Wright", "", True),
    ("Safa", "Arshad", "", True),
    ("Harpreet", "Kaur", "", True),
    ("Marvellous", "Appiah", "", True),
    ("Hazel", "Mitchell", "", True),
    ("Lincoln", "Phillips", "", True),
    ("Austin", "Baker", "", True),
    ("Phoebe", "Robinson", "", True),
    ("Darragh", "Maguire", "", True),
    ("Ridwan", "Rahman", "", True),
    ("Daisy", "Brown", "", True),
    ("Poppy", "Green", "", True),
    ("Bill", "Smith", "", True),
    ("Simran", "Kaur", "", True),
    ("Jack", "Jones", "", True),
    ("Amir", "Hussain", "", True),
    ("Finn", "Kelly", "", True),
    ("Thảo", "Bui", "", True),
    ("Star", "Matthews", "", True),
    ("Summer", "Byrne", "", True),
    ("Autumn", "Smith", "", True),
    ("Marcus", "Johnson", "", True),
    ("Tymon", "Szymanski", "", True),
    ("Paris", "Knight", "", True),
]


@pytest.fixture(scope="module")
def engine() -> PolicyEngine:
    return PolicyEngine(policy(), register(PUPILS))


def names(engine: PolicyEngine, text: str) -> list[Finding]:
    verdict = check(
        text, [photo(alt="Children at work")], declared=True, no_pupils=True, using=engine
    )
    return found(verdict, "pupil-name-with-photo")


@pytest.mark.parametrize(
    ("text", "pupil"),
    [
        # a word-name among children's names is a child too
        (
            "yr4 netball squad 🏐 thea, maeve, rose, delia, purity + antonia. bibs pls",
            "Rose Davies",
        ),
        (
            "yr4 netball squad 🏐 thea, maeve, rose, delia, purity + antonia. bibs pls",
            "Purity Okeke",
        ),
        ("Well done to our Year 6 team: Harper, Eden, Angel, Daisy and Safa.", "Eden Clark"),
        ("Well done to our Year 6 team: Eden, Angel and Safa.", "Eden Clark"),
        # a slip of the first name before the pupil's own surname
        ("Harpeet Kaur was pink from head to toe by the end!", "Harpreet Kaur"),
        ("harpeet kaur was pink from head to toe", "Harpreet Kaur"),
        ("A big well done to Marvelous Appiah in Year 1 for 100% attendance.", "Marvellous Appiah"),
        # lower-case slips, and what the child did
        ("y3 rainforest art lush 🌿 hazle did the toucan, its amazing", "Hazel Mitchell"),
        ("y5 assembly led by lincon n austin, gr8 job", "Lincoln Phillips"),
        ("safer internet day 💻 y2 quiz champ was pheobe, knew every answer!!", "Phoebe Robinson"),
        ("one v muddy hill. darrah came 4th in the yr5 boys!!", "Darragh Maguire"),
        ("ty to ridwaan's mum for the samosas 😋", "Ridwan Rahman"),  # no adjective of Ridwan
        ("ty simran for helping in the library", "Simran Kaur"),  # thanks typed on a phone
        ("Jakc painted a lovely picture today.", "Jack Jones"),  # two letters swapped
        ("Well done to Amri for a brilliant week!", "Amir Hussain"),
        ("Well done to Finnn for a brilliant week!", "Finn Kelly"),  # a short name, pointed at
        ("well done finnn 👏", "Finn Kelly"),
        ("amri painted a lovely picture today", "Amir Hussain"),
        ("What a week! #WellDoneThảo", "Thảo Bui"),  # Vietnamese letters in CamelCase
        ("Star of the week is Star for always trying her best.", "Star Matthews"),
        ("autumn scored twice at football club today!!", "Autumn Smith"),  # no season scores
        # a class in brackets singles out a child even after a famous namesake
        (
            "We read about Marcus Rashford. Marcus (5J) summed it up: 'proper brave'!",
            "Marcus Johnson",
        ),
        ("Pheobe's group went for a bin bag.", "Phoebe Robinson"),  # a word-name's letters swapped
        ("tymons poster stop think tell", "Tymon Szymanski"),  # lower case, apostrophe left out
    ],
)
def test_lists_and_slips_are_caught_or_asked(engine: PolicyEngine, text: str, pupil: str) -> None:
    assert any(pupil in f.message for f in names(engine, text)), text


@pytest.mark.parametrize(
    "text",
    [
        "We planted rose, daisy, poppy and lily bulbs in the garden.",  # flowers, no children
        "We learned about Mary, Queen of Scots, and Catherine, Duchess of Cambridge.",
        "Will Smith's film night raised £200.",  # a word is no slip of Bill before Smith
        "Mrs Kaur and Mr Appiah thanked everyone for coming.",
        "Year 6 visited the Victorian Christmas market.",
        "Summer arrived early this year, so water bottles please!",  # what a season does
        "Summer has flown by: see you all in September.",
        "the kids loved the jacks and franks stall",  # words, not names without apostrophes
        "Year 3 made fossils out of plaster of Paris.",
        "Jack climbed the beanstalk and Daisy the cow got the biggest cheer.",
    ],
)
def test_lists_and_slips_leave_others_alone(engine: PolicyEngine, text: str) -> None:
    assert names(engine, text) == [], text
