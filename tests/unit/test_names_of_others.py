"""Names that belong to somebody else (issue 12): lists a word for others introduces, lineages
of history, adjectives, the sky, famous namesakes of a pupil, and parts played."""

from __future__ import annotations

import pytest

from chatbot.domain.findings import Finding
from chatbot.policy.engine import PolicyEngine
from tests.unit.policy_support import check, found, photo, policy, register

PUPILS = [
    ("Adam", "Khan", "", True),
    ("Noah", "Wilkinson", "", True),
    ("Harun", "Arshad", "", True),
    ("Mariam", "Hussain", "", True),
    ("Ibrahim", "Ali", "", True),
    ("Christian", "Owen", "", True),
    ("Leo", "Dudley", "", True),
    ("Muhammad", "Ali", "", True),
    ("Willow", "Parker", "", True),
    ("Prince", "Obi", "", True),
    ("Will", "Cooper", "", True),
    ("Grace", "Boateng", "", True),
    ("Bethlehem", "Tesfaye", "", True),
    ("Ocean", "Walker", "", True),
    ("Tyrese", "Henry", "", True),
    ("Mia", "Hughes", "", True),
    ("Sydney", "Price", "", True),
    ("Summer", "Hall", "", True),
    ("Ștefan", "Munteanu", "", True),
    ("Rumana", "Khan", "", True),
    ("Anjali", "Patel", "", True),
    ("Precious", "Okafor", "", True),
    ("Bonnie", "Shaw", "", True),
    ("Saron", "Woldemariam", "", True),
    ("Ánh", "Nguyen", "", True),
    ("Charlotte", "Booth", "", True),
    ("Musa", "Kauser", "", True),
    ("Skye", "Atkinson", "", True),
    ("Star", "Ward", "", True),
    ("King", "Johnson", "", True),
    ("Jack", "Brown", "", True),
    ("Grace", "Kelly", "", True),
    ("George", "Hall", "", True),
    ("Isla", "White", "", True),
    ("Wiktoria", "Kowalska", "", True),
    ("Bella", "Evans", "", True),
    ("Kai", "Chen", "", True),
    ("Ezra", "Lee", "", True),
    ("Mary", "Davies", "", True),
    ("Joseph", "Hall", "", True),
    ("Cai", "Jones", "", True),
    ("Reem", "Nowak", "", True),
    ("Xin", "Zhang", "Cindy", True),
    ("Yousef", "Malik", "", True),
    ("Brodie", "Bruce", "", True),
    ("Arran", "Brown", "", True),
    ("Iona", "Fraser", "", True),
    ("Harris", "Brennan", "", True),
    ("Robert", "Kerr", "", True),
    ("Autumn", "Clark", "", True),
    ("Seren", "Bowen", "", True),
    ("Haf", "Morgan", "", True),
    ("Môn", "Davies", "", True),
    ("Llywelyn", "Bevan", "", True),
    ("Gruffudd", "Owen", "", True),
    ("Mali", "Jones", "", True),
    ("Rosie", "Hirst", "", True),
    ("Arafat", "Miah", "", True),
    ("Mason", "Banks", "", True),
    ("Major", "Osei", "", True),
    ("Declan", "Banks", "", True),
    ("India", "Moss", "", True),
    ("Jordan", "Barnes", "", True),
    ("Paris", "Knight", "", True),
    ("Kwame", "Addo", "", True),
    ("George", "Turner", "", True),
    ("David", "Lungu", "", True),
    ("Sunny", "Cole", "", True),
    ("Ronnie", "Hall", "", True),
    ("Arlo", "Fox", "", True),
]


@pytest.fixture(scope="module")
def engine() -> PolicyEngine:
    return PolicyEngine(policy(), register(PUPILS))


def names(engine: PolicyEngine, text: str) -> list[Finding]:
    photos = [photo(alt="Children at work")]
    verdict = check(text, photos, declared=True, no_pupils=True, using=engine)
    return found(verdict, "pupil-name-with-photo")


@pytest.mark.parametrize(
    "text",
    [
        # a list that a word for others introduces
        "Years 3 and 4 are exploring prophets shared by Judaism, Christianity and Islam: Adam, "
        "Noah, Ibrahim (Abraham) and Yusuf (Joseph).",
        "We learnt about saints such as Adam and Noah.",
        # lineages and the Arabic article: how history names somebody
        "Baghdad's House of Wisdom under Harun al-Rashid and Mariam al-Astrulabi's astrolabes.",
        "Ibrahim ibn Sinan wrote about sundials.",
        # a name that is an adjective before its noun
        "Happy Easter to all our Christian families.",
        "This Sunday our Orthodox Christian families celebrate Easter.",
        # the sky
        "Later in the evening, Leo rises in the east, and Sirius is the brightest star in the sky.",
        # a famous namesake beside other famous people
        "Muhammad Ali won the vote, just ahead of Serena Williams and Mo Farah.",
        # a pronoun before a modal
        "What a show! A rap we will never forget.",
        # places of faith stories, oceans, a foreign word that only sounds like a name
        "Year 2 heard about the wise men following the star to Bethlehem.",
        "Year 2 found Mogadishu on the Indian Ocean coast.",
        "Très bien, Year 5! Our French café day was a hit.",
        # not a part: no capitalised part after "as"
        "Year 6 goes to Paris in May.",
        "Sydney is the largest city in Australia.",
        "Staff sent postcards over the summer.",  # a word only sounds like Ștefan
        "St Andrew's Day, patron saint of Scotland and of Romania.",  # a place is no slip
        "Year 4 loved their visit from author Onjali Q. Raúf.",
        # (from the Leeds batch)
        "Year 5 started reading Wonder. Auggie, Via, Jack and Summer sparked discussions.",
        "Year 5 went to Haworth to see where the Brontë sisters lived. Charlotte, Emily and "
        "Anne wrote their novels there.",
        "In RE, Year 5 learnt about the Prophets Musa and Isa and fasting.",
        "Year 1 found the Isle of Skye on the map of Scotland.",
        "Star jumps, sack races and an egg and spoon race!",
        "Year 3 designed their own King and Queen costumes for the carnival.",
        "Interpreters for Urdu, Slovak, Kurdish Sorani and Tigrinya can be booked.",
        # (from the Liverpool batch)
        "Y6 art: Andy Warhol's screen prints of Marilyn Monroe and Grace Kelly.",
        "Which Liver bird is Bella and which is Bertie? Year 2 know!",
        "summer has finally arrived",
        "#umbrella",
        # (from the London batch)
        "Year 5 watched footage of Muhammad Ali this week.",
        "At World Book Day we counted 14 Marys and 3 Josephs.",
        "Our nativity is on Tuesday: Mary, Joseph and a very excited donkey!",  # any case
        # (from the Cardiff register's first run)
        "Gong xi fa cai! Reception loved their trip to Chinatown.",
        "ramadan kareem to all our families 🌙 #ramadankareem",  # another's name, no "ka reem"
        "Mrs Begum's gran's 1960s Sindy doll was a big hit.",
        # (from the Glasgow batch)
        "Three children completed Surah Yusuf this term.",  # a chapter's title
        "St Brigid's Day: Lá Fhéile Bríde sona daoibh!",
        "P6 mapped Skye, Iona, Arran, Islay and Lewis and Harris.",  # islands, a list of places
        "P3 trip to the Isle of Arran was a joy.",
        "Autumn is here 🍂 A robin visits and P2 have been drawing him.",  # the season's coming
        # (from the Cardiff batch)
        "⭐ Seren yr Wythnos certificates are back! #SerenYrWythnos",
        "Ffair Haf 2027! Our summer fair is on Saturday.",
        "Year 6 are off to Ynys Môn for their residential! #YnysMôn",
        "Year 6 history: Llywelyn ap Gruffudd, the last native Prince of Wales.",
        "Year 4 learnt about the empire of Mali and Mansa Musa, the richest person ever.",
        "A map of West Africa with Mali shaded in.",
        # (from the terse Leeds and London batch)
        "y3 RE: stories of prophet yusuf & prophet ibrahim 📖",  # a title in lower case
        "st andrews day mon 🏴 y2 learning abt the patron saints - george, andrew, david n patrick",
        "bhm 🖤 y6 presenting abt mary seacole, olaudah equiano & kwame nkrumah tmrw",
        "y5 geography 🌍 comparing london w paris & india this half term",
        "happy new year 🎉 clubs restart mon, list on the app",
        "Leo, Orion and Cassiopeia are constellations in the night sky.",
    ],
)
def test_others_are_not_pupils(engine: PolicyEngine, text: str) -> None:
    assert names(engine, text) == [], text


@pytest.mark.parametrize(
    ("text", "pupil"),
    [
        ("Our stars this week: Adam, Noah and Grace!", "Adam Khan"),  # no word for others
        ("Well done to Christian for his reading.", "Christian Owen"),
        ("Christian scored twice!", "Christian Owen"),  # no noun after it
        ("Well done Christian", "Christian Owen"),  # nothing after it at all
        ("Autumn is a star in P2!", "Autumn Clark"),  # said of a person, not the season's coming
        ("Ibrahim bin Ali from Year 3 won.", "Ibrahim Ali"),  # a class points at the child
        ("Leo looked through the telescope at the planets.", "Leo Dudley"),  # did something
        ("Our very own Muhammad Ali won the vote.", "Muhammad Ali"),
        # an award that goes to somebody, and a part played
        ("Best costume in Year 2 goes to... Willow, as the Tiger Who Came to Tea!", "Willow"),
        ("standing ovation! prince as James Watt was a star", "Prince Obi"),
        ("thank you will for helping", "Will Cooper"),
        ("Bethlehem read her poem to Year 2.", "Bethlehem Tesfaye"),
        ("Well done to Ocean for swimming 25 metres!", "Ocean Walker"),
        ("Tyrees scored twice on Saturday.", "Tyrese Henry"),  # a slip still counts
        # the sky and places only where nothing says a child is meant
        ("Leo is in the city choir.", "Leo Dudley"),
        ("Stars of the week: Leo and Mia!", "Leo Dudley"),
        ("Leo and Mia painted the night sky.", "Leo Dudley"),
        ("Sydney is a star in our city choir.", "Sydney Price"),
        ("Sydney went to the city farm.", "Sydney Price"),
        ("thank u summer for helping", "Summer Hall"),
        ("Stefen scored a goal.", "Ștefan Munteanu"),
        ("Well done to Rumanna for her poem.", "Rumana Khan"),
        ("Congratulations to Presious in Year 5 for the spelling bee!", "Precious Okafor"),
        ("Bonnie proudly showing a bonnet covered in daffodils.", "Bonnie Shaw"),  # alt text
        ("Charlotte read her poem to the class.", "Charlotte Booth"),
        ("What a week! jack has already built the tallest tower", "Jack Brown"),
        ("Isla chose Eleanor Rathbone and George chose George Harrison", "George Hall"),
        ("Our Eurovision winners: 12 points! #douzepointswiktoria", "Wiktoria Kowalska"),
        ("School Games: 🥇 Bonnie 60m, 🥈 Kai long jump, 🥉 Ezra 600m!", "Bonnie Shaw"),
        ("Grace Kelly in Y4 gave a talk on Grace Darling today", "Grace Kelly"),
        ("Vaisakhi in Year 3 🎉 Precious tried on a turban", "Precious Okafor"),  # no count
        ("Well done to Mary for her lines in our nativity!", "Mary Davies"),
        ("so proud of our star of the week #welldonereem", "Reem Nowak"),
        ("Look at Skye's Mackintosh rose design for the display", "Skye Atkinson"),  # no title
        ("Robert the Bruce had his spider; Robert in P6 had a box of Lego", "Robert Kerr"),
        ("Well done Autumn in P2!", "Autumn Clark"),
        ("Da iawn Seren for her poem!", "Seren Bowen"),
        ("Gruffudd scored the winner for Year 5!", "Gruffudd Owen"),
        ("y3 wrote poems. rosei's one abt conkers had mrs hirst in tears", "Rosie Hirst"),
        ("eid mubarak 🌙 y3 arfat brought in dates for the whole class", "Arafat Miah"),
        ("y4 boys football won 3-1 ⚽ goals from declan, mason n major 🔥", "Major Osei"),
        ("y4 boys football won 3-1 ⚽ goals from declan, mason n major 🔥", "Mason Banks"),
        ("sports day 🏅 y2 sprint winner = king!! crowned lol", "King Johnson"),
        ("y1 asked gr8 qs esp sunny, ronnie n arlo", "Sunny Cole"),
    ],
)
def test_pupils_are_still_found(engine: PolicyEngine, text: str, pupil: str) -> None:
    assert any(pupil in f.message for f in names(engine, text)), text


def test_a_pupil_with_a_famous_full_name_and_nothing_else_to_go_on_is_asked_about(
    engine: PolicyEngine,
) -> None:
    [asked] = names(engine, "Muhammad Ali won the vote in our class election.")
    assert asked.unsure
    [certain] = names(engine, "Well done to Muhammad Ali in Year 3.")
    assert not certain.unsure


def test_anne_is_no_slip_for_anh(engine: PolicyEngine) -> None:
    """A silent final h or e is another spelling (Hannah, Isabelle) only where enough of the
    name is left: Anne and Ánh are two names."""
    assert not any("Ánh" in f.message for f in names(engine, "Anne read her poem."))


def test_the_life_of_someone_else_named_in_the_post_is_theirs(engine: PolicyEngine) -> None:
    """The text names Mary Queen of Scots; the alt text's "Mary's life" is hers."""
    text = "P5 are learning about Mary Queen of Scots, queen at six days old."
    photos = [photo(alt="A timeline of Mary's life pinned along the classroom wall.")]
    verdict = check(text, photos, declared=True, no_pupils=True, using=engine)
    assert found(verdict, "pupil-name-with-photo") == []
