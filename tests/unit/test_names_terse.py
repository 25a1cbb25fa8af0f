"""Names in terse, phone-typed posts (issue 12): lower-case word-names spoken to, put in a class,
given a letter for a surname or typed in capitals, and feelings that fill a place."""

from __future__ import annotations

import pytest

from chatbot.domain.findings import Finding
from chatbot.policy.engine import PolicyEngine
from tests.unit.policy_support import check, found, photo, policy, register
from tests.unit.test_names_in_context import PUPILS

MORE = [
    ("Ivy", "Moss", "", True),
    ("Bear", "Roberts", "", True),
    ("Star", "Johnson", "", True),
    ("Mercy", "Owusu", "", True),
    ("Gift", "Nwosu", "", True),
    ("Safa", "Arshad", "", True),
    ("Ibrahim", "Qureshi", "", True),
    ("Hunter", "Shaw", "", True),
    ("Edward", "Evans", "Ted", True),
    ("Rain", "Hill", "", True),
    ("Sunday", "Adeyemi", "", True),
    ("Berry", "Clarke", "", True),
]


@pytest.fixture(scope="module")
def engine() -> PolicyEngine:
    return PolicyEngine(policy(), register([*PUPILS, *MORE]))


def names(engine: PolicyEngine, text: str, alt: str = "Children at work") -> list[Finding]:
    verdict = check(text, [photo(alt=alt)], declared=True, no_pupils=True, using=engine)
    return found(verdict, "pupil-name-with-photo")


@pytest.mark.parametrize(
    ("text", "pupil"),
    [
        ("ivy you were brilliant", "Ivy Moss"),  # spoken to, no comma
        ("Ivy you are a star in our class", "Ivy Moss"),
        ("well done ivy", "Ivy Moss"),
        ("summer got a certificate", "Summer Hughes"),  # a season that earned something
        ("will in yr1 built a tower taller than him", "Will Brennan"),  # put in a class
        ("bear and star in yr1 were the best sheep", "Bear Roberts"),  # ...and its partner
        ("bear and star in yr1 were the best sheep", "Star Johnson"),
        ("faith (y6) and joy (y5) ran the tuck shop", "Faith Barker"),
        ("faith (y6) and joy (y5) ran the tuck shop", "Joy Addo"),
        ("autumn and holly in year 5 brought in fact files", "Autumn Price"),
        ("summer h and joy b ran the science fair stall", "Summer Hughes"),  # an initial
        ("summer h and joy b ran the science fair stall", "Joy Addo"),
        ("hope e and noor a helped count the money", "Noor Begum"),  # a letter that is a word
        ("hope e and noor a helped count the money", "Hope Osei"),
        ("two more went up a band 📚 mercy o in y5 too", "Mercy Owusu"),
        ("KING SCORED A HAT TRICK 😱 y4 unbeatable", "King Adebayo"),  # typed in capitals
        ("king in the number 9 shirt with the ball", "King Adebayo"),  # what is worn (alt)
        ("so proud of ava this week 🎟️ peace too!!", "Peace Okoro"),  # added to the praised
        ("autumn won star of the week in yr2", "Autumn Price"),  # an award earned
        ("Summer in Year 6 won the sack race", "Summer Hughes"),  # a class, then what she did
        ("Marley in Year 2 made a ghost", "Marley Green"),
        ("Gift wrapping presents for the Christmas shop", "Gift Nwosu"),  # (alt text) doing
        ("Noor made a lantern for Ramadan", "Noor Begum"),
        ("Year 2 read with Hunter today.", "Hunter Shaw"),
        ("well done to summer and joy in yr2 for their poems", "Summer Hughes"),  # praised
    ],
)
def test_terse_names_are_caught_or_asked(engine: PolicyEngine, text: str, pupil: str) -> None:
    findings = names(engine, text)
    assert any(pupil in f.message for f in findings), (text, findings)


@pytest.mark.parametrize(
    "text",
    [
        "Joy filled the hall as Year 2 sang.",  # a feeling filling a place
        "joy filled the hall at the carol concert",
        "Hope spread through the school on Red Nose Day.",
        "hope you have a lovely half term",  # a verb before "you"
        "Hope you are all well and rested!",
        "summer got hotter and hotter this year",  # a season, not what a child earned
        "summer in year 6 is busy",  # a season in a class, no action
        "Summer in Year 6 is busy with SATs revision.",  # capitalised too
        "Holly and ivy decorated the hall for the carol service.",  # a fixed pair of plants
        "Marley's ghost scared Year 6 in our Christmas Carol read-through.",
        "Star gazing evening on Friday, weather permitting.",
        "Paris trip meeting for Year 6 parents on Tuesday.",  # a journey's place
        "Gift wrapping station open for the Christmas shop.",  # an activity, not a child's
        "Honey tasting afternoon with our beekeeper.",
        "Noor means light: our Ramadan display is up.",  # the name itself, glossed
        "Safa and Marwa are two hills in Makkah.",
        "Musa parted the sea in our RE story.",  # stories of the prophets, by what happens
        "Yusuf and his brothers: Year 4 retold the story today.",
        "Ibrahim built the Kaaba with his son Ismail.",
        "Daisy the cow visited Reception from Farmer Ted's.",  # a story trade as a title
        "Oscar Wilde? Year 6 read The Happy Prince.",  # a Title Case run after "read"
        "Hunter's moon tonight, look up!",
        "thanks to summer sun the garden grew",  # a cause, not thanks to a child
        "Rain stopped play at sports day, so we moved indoors.",
        "Trinity Sunday service at St Anne's church.",  # a feast day
        "The king in the castle waved from the tower.",
        "WELCOME BACK TO THE SPRING TERM EVERYONE",  # capitals, no name
        "Please bring a hat: with summer sun, peace of mind too.",
    ],
)
def test_terse_words_stay_words(engine: PolicyEngine, text: str) -> None:
    assert names(engine, text) == [], text


def test_a_pupil_called_joy_filling_her_bottle_is_still_read_on(engine: PolicyEngine) -> None:
    assert names(engine, "Joy filled her bottle at the tap.") != []


def test_a_word_name_before_an_ing_at_a_sentence_start_is_asked_not_blocked(
    engine: PolicyEngine,
) -> None:
    """ "Berry picking at the allotment" is as likely the activity as a child (alt text writes
    "Grace reading to the class"): the author is asked; what was done still blocks."""
    [asked] = names(engine, "Berry picking at the allotment.")
    assert asked.unsure
    assert "Berry Clarke" in asked.message
    [done] = names(engine, "Berry picked the most apples at the allotment.")
    assert not done.unsure
