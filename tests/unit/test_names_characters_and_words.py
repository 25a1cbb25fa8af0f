"""Names that are characters, other people or plain words where they stand (issue 12, ninth
corpus batch): a story's characters after its title, a question opened by "Will", a word the post
has already used in lower case, a plural, quoted titles after a hyphenated word, and what still
points at a child."""

from __future__ import annotations

import pytest

from chatbot.domain.findings import Finding
from chatbot.policy.engine import PolicyEngine
from tests.unit.policy_support import check, found, photo, policy, register

PUPILS = [
    ("Grace", "Boateng", "", True),
    ("Michael", "Cain", "", True),
    ("Honey", "Walsh", "", True),
    ("Will", "Scott", "", True),
    ("Oliver", "Evans", "", True),
    ("Nancy", "Moore", "", True),
    ("Fatima", "Anwar", "", True),
    ("Matilda", "Harris", "", True),
    ("Aleena", "Akhtar", "", True),
    ("Shannon", "Davies", "", True),
    ("Star", "Johnson", "", True),
    ("Bella", "Evans", "", True),
    ("Alfred", "Cooper", "", True),
    ("George", "Smith", "", True),
    ("Isla", "Brown", "", True),
    ("Musa", "Ali", "", True),
    ("Marcus", "Johnson", "", True),
    ("Clay", "Wilson", "", True),
    ("Jasper", "Tyrer", "", True),
    ("Otis", "Fisher", "", True),
    ("Dexter", "Johnson", "", True),
    ("Jasmine", "Khan", "", True),
    ("Harry", "Young", "", True),
    ("Gift", "Nwosu", "", True),
    ("Noah", "Wilkinson", "", True),
    ("Ibrahim", "Qureshi", "", True),
    ("Jack", "Carter", "", True),
    ("Muhammad", "Ali", "", True),
    ("Diya", "Shah", "", True),
    ("Christian", "Owen", "", True),
    ("Bethlehem", "Tesfaye", "", True),
    ("Môn", "Davies", "", True),
    ("Benjamin", "Richardson", "Ben", True),
    ("Mason", "Binns", "", True),
    ("Elizabeth", "Ward", "", True),
    ("Joy", "Addo", "", True),
    ("Poppy", "Green", "", True),
    ("Success", "Adewale", "", True),
    ("Heaven", "Cameron", "", True),
    ("Joseph", "Hall", "Joe", True),
    ("Patience", "Mensah", "", True),
    ("Seren", "Bowen", "", True),
    ("Mercy", "Mensah", "", True),
    ("Goodness", "Eze", "", True),
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
    "text",
    [
        # a story's character after the story is named, whatever pronoun follows
        "Year 1 are reading Amazing Grace by Mary Hoffman. Grace can be anyone she wants!",
        "Our class novel is Kensuke's Kingdom by Michael Morpurgo. Michael and his dog Stella "
        "are washed overboard.",
        "Year 6 performed Oliver! tonight. Oliver asked for more, Fagin picked a pocket or two "
        "and Nancy's 'As Long As He Needs Me' had the audience in tears.",
        "Year 3 learned about the Beatles: John, Paul, George and Ringo grew up in Liverpool.",
        # questions opened by "Will"
        "Will Edmund give in to the White Witch? Will Lucy's brothers believe her?",
        # a word the post has used in lower case already
        "Year 2 tasted apples dipped in honey for Rosh Hashanah. Honey was the favourite!",
        # lineages, waters, stars, plurals, epithets, other languages
        "Year 5 heard about Fatima al-Fihri, who founded one of the oldest universities.",
        "Year 3 heard that the River Shannon is the longest river in Ireland.",
        "We found the Plough, Orion's Belt and the North Star.",
        "Happy World Book Day! We have had Matildas, Gruffalos and Harry Potters.",
        "y5 anglo saxon wk 🛡 alfred the great firm fave",
        "Florence was named after the city in Italy. Ciao, che bella città!",
        # a quoted title after a hyphenated word keeps its place (the hyphen splits words)
        "Eid al-Fitr Mubarak! Year 4 sang 'Tala al-Badru Alayna' in assembly.",
        "After a well-earned rest, Year 2 sang 'A Moon Song for Isla' in assembly.",
        # a thing used, not a part played
        "we used clay as the base for our pots and otis as the model",
        # learning about the famous one of a shared full name; who a figure is
        "This week we're learning about Muhammad Ali: born Cassius Clay in Louisville.",
        "We retold Noah's Ark (in Islam, Noah is the Prophet Nuh).",
        "Year 2 made diyas out of clay for Diwali.",  # a plural before "out", no possessive
        "Year 3 learned why Christians remember Jesus on Good Friday.",
        "The Star of Bethlehem wobbled beautifully in the nativity.",
        "st andrews day mon 🏴 y2 learning abt the patron saints",  # a day, before a class
        "we had honey with her tea",
        "This week's assembly was all about Muhammad Ali: the boxing, and his faith.",
        "Year 3 learnt what the Black Star on Ghana's flag stands for.",
        "the last control was next to the old mason's mark on the front wall",
        "We learned about Henry VIII. Elizabeth I would have approved of the ruffs.",
        "the honey came a surprising second in the tasting",
        # a determiner before a lower-case possessive makes it a word's (the list meant for this
        # had been shadowed by a smaller one of the same name further down its module)
        "in every poppy's centre sat a bee",
        # word-names as the words schools write every week
        "Success! Year 6 have raised £400 for the hospice.",  # the class is another sentence's
        "Heaven knows how many cakes were baked for the sale.",
        "Joy filled the hall as the choir sang.",  # Joy, a word here, is no slip of Joe
        "Thank you for your patience while the car park is resurfaced.",
        "Patience is a virtue, as Year 2 found out waiting for their caterpillars!",
        "heaven sent: 3 new parent volunteers!!",
        "Our value of the month is Mercy.",
        "Year 3 asked: what does Goodness mean?",
    ],
)
def test_characters_others_and_words_are_no_pupils(engine: PolicyEngine, text: str) -> None:
    assert [f for f in names(engine, text) if "Otis" not in f.message] == [], text


@pytest.mark.parametrize(
    ("text", "pupil"),
    [
        ("Well done Fatima al-Rashid, who won the spelling bee!", "Fatima Anwar"),
        ("Year 2 learned about the Prophet Musa, and Musa told us the story himself.", "Musa Ali"),
        (
            "the Marcus Rashford book club picks r in the library n marcus has read 2 already!!",
            "Marcus Johnson",
        ),
        ("ice lollies on the field n clay said it was easy 🙄😂", "Clay Wilson"),
        ("y5 tudors wk 👑 jasper v convincing as a grumpy king", "Jasper Tyrer"),
        ("y1 faves: otis as the gruffalo, dexter as fantastic mr fox 🦊", "Dexter Johnson"),
        ("Jazmine and her group told the story of Rama and Sita.", "Jasmine Khan"),
        ("Honey was the favourite! We had honey on toast.", "Honey Walsh"),
        ("Matildas painting was lovely.", "Matilda Harris"),
        ("Will Scott scored twice today.", "Will Scott"),
        # after a famous namesake or a story: a class with its letter, what was done here
        ("Harry Potter won the film vote and Harry from 2B wore his own glasses!", "Harry Young"),
        (
            "We learned about Prophet Ibrahim. Ibrahim told the class he is named after him.",
            "Ibrahim Qureshi",
        ),
        # a word used as a word earlier names nobody else
        ("The best gift this Christmas? Hearing Gift sing the solo.", "Gift Nwosu"),
        ("jack y6 doing keepy ups on the field", "Jack Carter"),  # an alt text's subject
        ("jack, rec, on the climbing frame", "Jack Carter"),
        ("star with her firework painting", "Star Johnson"),
        ("the Prophet Musa, as Musa H. pointed out with a huge grin", "Musa Ali"),
        ("Ben top-scored with 24 not out!", "Benjamin Richardson"),  # a compound verb
        ("Our favourite? Matilda in 2K came as... Matilda!", "Matilda Harris"),
        ("The lucky two are... Mathilda (1T)! Enjoy your books.", "Matilda Harris"),
        ("winner was blessing, joy a very close second 🥞", "Joy Addo"),
        ("Seren yr Wythnos yw Seren! ⭐ Year 3's star of the week.", "Seren Bowen"),  # Welsh
        ("Our value of the month is Mercy. Well done to Mercy in Year 2!", "Mercy Mensah"),
        ("Our very own Muhammad Ali won the boxing club trophy!", "Muhammad Ali"),
    ],
)
def test_what_points_at_a_child_still_does(engine: PolicyEngine, text: str, pupil: str) -> None:
    assert any(pupil in f.message for f in names(engine, text)), text
