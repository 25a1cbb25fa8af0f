import logging

import pytest

from chatbot.domain.findings import Severity
from chatbot.domain.pupils import Pupil
from chatbot.policy.engine import PolicyEngine
from chatbot.policy.names import CLOSE, FULL, SOUNDS_LIKE, NameMatcher
from tests.unit.policy_support import STAFF, check, found, photo, policy, register


def named(text: str, **kwargs: object) -> list[str]:
    """The pupils a photo post's findings name."""
    verdict = check(text, [photo()], declared=True, no_pupils=True, **kwargs)
    return [f.message for f in found(verdict, "pupil-name-with-photo")]


def test_a_full_name_with_a_photo_blocks_and_says_what_to_do() -> None:
    verdict = check("Well done Zoë Okafor!", [photo()], declared=True, no_pupils=True)
    [finding] = found(verdict, "pupil-name-with-photo")
    assert finding.severity is Severity.BLOCK
    assert not finding.overridable
    assert "Zoë Okafor" in finding.message
    assert "take the name out" in finding.message
    assert "Zoë Okafor" in finding.excerpt
    assert "no names of pupils" in finding.clause


def test_the_same_name_without_photos_warns() -> None:
    verdict = check("Well done Zoë Okafor!")
    assert not found(verdict, "pupil-name-with-photo")
    [finding] = found(verdict, "pupil-name")
    assert finding.severity is Severity.WARN


@pytest.mark.parametrize(
    "text",
    [
        "Well done Zoe!",  # accent left off
        "Well done ZOË!",
        "Look at zoe's painting.",  # possessive, lower case
        "Zoë’s painting won.",  # curly apostrophe
        "Great work today #WellDoneZoe",  # CamelCase hashtag
        "Star of the week: Liv",  # preferred name
        "Sasha read to the class.",
    ],
)
def test_names_are_found_however_they_are_written(text: str) -> None:
    assert named(text), text


def test_names_in_alt_text_count() -> None:
    verdict = check(
        "A great day.", [photo(alt="Zoe painting a rainbow")], declared=True, no_pupils=True
    )
    [finding] = found(verdict, "pupil-name-with-photo")
    assert finding.excerpt.startswith("alt text of photo 1:")


@pytest.mark.parametrize(
    ("text", "pupil"),
    [
        ("Well done Olivai!", "Olivia Nowak"),  # two letters swapped
        ("Well done Harvy!", "Harvey Patel"),  # a letter left out
        ("Alexandr read a poem.", "Alexander Petrov"),
        ("Muhammad scored a goal.", "Mohammed Rahman"),  # spelling variant
        ("Mohamed scored a goal.", "Mohammed Rahman"),
    ],
)
def test_small_typos_and_spelling_variants_count(text: str, pupil: str) -> None:
    messages = named(text)
    assert messages, text
    assert pupil in messages[0]


@pytest.mark.parametrize(
    "text",
    [
        "Summer is here at last.",  # sentence start
        "We had a lovely summer holiday.",  # lower case
        "Will you join us on Friday?",
        "Everyone will sing at the concert.",
        "We said grace before lunch.",
        "Olive trees grow in the garden.",  # a word one letter from Olivia
        "Thank you Mrs Patel and Mr Harvey for the trip.",  # titles: staff
        "Miss Kelly's class went to the park.",
        "Sarah Whitfield led assembly.",  # staff name
        "We are #SummerReady for sports day.",
    ],
)
def test_ordinary_words_titles_and_staff_are_not_pupils(text: str) -> None:
    assert named(text) == [], text


@pytest.mark.parametrize(
    "text",
    [
        "Well done to Summer for her poem.",  # capitalised mid-sentence
        "Summer Hughes read a poem.",  # with the surname, even at the start
        "Thank you to Will, our helper.",
        "We will miss Harvey next year.",  # "miss" is no title in lower case
        "Congratulations to our new House Captain, Will.",  # a pupil's role is no title
    ],
)
def test_ordinary_word_names_count_when_used_as_names(text: str) -> None:
    assert named(text), text


def test_a_staff_full_name_does_not_hide_a_pupil_with_the_same_first_name() -> None:
    engine = PolicyEngine(policy(), register([("Sarah", "Jones", "", True)]), STAFF)
    assert not found(check("Sarah Whitfield led assembly.", using=engine), "pupil-name")
    assert found(check("Sarah led assembly.", using=engine), "pupil-name")


def test_name_matcher_reports_pupil_words_span_and_how() -> None:
    pupils = [Pupil("Zoë", "Okafor"), Pupil("Olivia", "Nowak"), Pupil("Mohammed", "Rahman")]
    matcher = NameMatcher(pupils)
    text = "Zoë Okafor, Olivai and Muhammad's team"
    matches = matcher.find(text)
    assert [(m.pupil.first_name, m.matched, m.how) for m in matches] == [
        ("Zoë", "Zoë Okafor", FULL),
        ("Olivia", "Olivai", CLOSE),
        ("Mohammed", "Muhammad", SOUNDS_LIKE),
    ]
    assert all(text[m.start : m.end] == m.matched for m in matches)


def test_name_matcher_works_on_follower_bios() -> None:
    matcher = NameMatcher([Pupil("Harvey", "Patel")])
    assert matcher.find("harvey patel | yr 6 | footy ⚽")
    assert matcher.find("Mum of two, loves baking") == []


def test_pupil_names_never_reach_the_logs(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    check("Well done Zoë Okafor and Olivai!", [photo()], declared=True, no_pupils=True)
    assert "Zo" not in caplog.text
    assert "Oliv" not in caplog.text


@pytest.mark.parametrize(
    "text",
    [
        "Star of the week: Grace!",
        "Stars of the week:\n• Grace\n• Summer",
        "Guess who won… Grace",
    ],
)
def test_a_colon_or_a_list_does_not_start_a_sentence(text: str) -> None:
    assert named(text), text


def test_a_new_sentence_on_a_new_line_still_does() -> None:
    assert named("What a day.\nSummer is finally here.") == []


def test_the_schools_own_word_list_never_hides_a_pupil() -> None:
    # "Belle" is on the spelling allowlist (Belle Vale, a part of Liverpool) and a pupil's name.
    engine = PolicyEngine(policy(), register([("Belle", "Adeyemi", "", True)]))
    assert found(check("Well done Belle!", using=engine), "pupil-name")


def test_days_and_months_are_not_variants_of_names_but_exact_names_count() -> None:
    pupils = [
        ("Freddie", "Adams", "", True),
        ("Mandy", "Cole", "", True),
        ("April", "Sun", "", True),
    ]
    engine = PolicyEngine(policy(), register(pupils))
    assert not found(check("School closes on Friday and Monday.", using=engine), "pupil-name")
    assert found(check("Well done April for her poem.", using=engine), "pupil-name")


@pytest.mark.parametrize(
    ("text", "first"),
    [
        ("Grace and Will planted bulbs.", "Grace"),  # next to another name
        ("Will, Grace and Harvey planted bulbs.", "Will"),
        ("Summer won the egg and spoon race.", "Summer"),  # what the pupil did
        ("Grace helped tidy the garden.", "Grace"),
        ("Grace has worked hard on her handwriting.", "Grace"),  # a person's pronoun
        ("Well done to our stars!\nGrace\nHarvey P", "Grace"),  # a list, one name a line
    ],
)
def test_an_ordinary_word_name_at_a_sentence_start_counts_when_the_sentence_shows_a_name(
    text: str, first: str
) -> None:
    messages = named(text)
    assert messages, text
    assert f"“{first}”" in messages[0]


@pytest.mark.parametrize(
    "text",
    [
        "Summer term starts on Monday.",
        "Summer has arrived!",
        "Will parents please bring coats.",
        "Will you join us? We will sing carols.",
        "Grace before lunch is said in the hall.",
    ],
)
def test_an_ordinary_word_at_a_sentence_start_stays_a_word(text: str) -> None:
    assert named(text) == [], text


@pytest.mark.parametrize("text", ["Great work from Zoey today.", "Look at Zoes painting!"])
def test_a_short_name_with_a_letter_added_still_counts(text: str) -> None:
    messages = named(text)
    assert messages, text
    assert "Zoë Okafor" in messages[0]


def test_a_short_name_is_not_matched_by_a_different_name_of_the_same_length() -> None:
    # one letter changed in a three- or four-letter name is another name (Noah/Noam)
    engine = PolicyEngine(
        policy(), register([("Noah", "Fisher", "", True), ("Leo", "Ng", "", True)])
    )
    assert not found(check("Well done to Noam!", using=engine), "pupil-name")
    assert not found(check("Year 4 had fun at the Lego workshop.", using=engine), "pupil-name")
    assert found(check("Well done to Noa!", using=engine), "pupil-name")


def test_saints_stories_and_famous_people_are_not_pupils() -> None:
    pupils = [("Mary", "Okoro", "", True), ("Noah", "Fisher", "", True)]
    engine = PolicyEngine(policy(), register(pupils))
    for text in (
        "Reception's nativity: our Mary and Joseph were wonderful.",
        "Year 1 read Noah's Ark at St Mary's church.",
        "Year 2 learned about Grace Darling and Mary Seacole.",
    ):
        verdict = check(text, [photo()], declared=True, no_pupils=True, using=engine)
        assert not found(verdict, "pupil-name-with-photo"), text
    # the same pupils are still found anywhere else in the post
    verdict = check("Noah read Noah's Ark.", [photo()], declared=True, using=engine)
    assert found(verdict, "pupil-name-with-photo")


def test_a_full_name_with_a_curly_apostrophe_is_the_full_name() -> None:
    matcher = NameMatcher([Pupil("Isla", "O'Connor")])
    [match] = matcher.find("Isla O’Connor won the poetry prize.")
    assert (match.matched, match.how) == ("Isla O’Connor", FULL)


MONTH_PUPILS = [
    ("May", "Li", "", True),
    ("June", "Ade", "", True),
    ("Summer", "Moss", "", True),
    ("Roman", "Clarke", "", True),
]


@pytest.mark.parametrize(
    "text",
    [
        "SATs start on Monday 11th May. Good luck!",
        "Sports day is on 5th June at 1.30pm.",
        "See you all in June.",
        "Welcome back to the Summer term!",
        "Tickets for the Summer fair go on sale in May 2027.",
        "Year 4 are learning about the Romans.",
    ],
)
def test_months_seasons_and_history_topics_are_not_pupils(text: str) -> None:
    engine = PolicyEngine(policy(), register(MONTH_PUPILS))
    verdict = check(text, [photo()], declared=True, no_pupils=True, using=engine)
    assert not found(verdict, "pupil-name-with-photo"), text


@pytest.mark.parametrize(
    "text", ["Well done to May for her poem.", "Well done to June!", "Thank you Summer."]
)
def test_a_pupil_called_after_a_month_or_season_is_still_found(text: str) -> None:
    engine = PolicyEngine(policy(), register(MONTH_PUPILS))
    verdict = check(text, [photo()], declared=True, no_pupils=True, using=engine)
    assert found(verdict, "pupil-name-with-photo"), text


def test_places_named_after_people_and_plural_characters_are_not_pupils() -> None:
    pupils = [("Hope", "Ali", "", True), ("William", "Brown", "", True), ("Harry", "Li", "", True)]
    engine = PolicyEngine(policy(), register(pupils))
    for text in (
        "Our walk went along Hope Street to the cathedral.",
        "Year 5 visited the museums on William Brown Street.",
        "Happy World Book Day from our Harry Potters!",
    ):
        verdict = check(text, [photo()], declared=True, no_pupils=True, using=engine)
        assert not found(verdict, "pupil-name-with-photo"), text
    verdict = check("Well done William Brown! Street dance is next.", using=engine)
    assert found(verdict, "pupil-name")  # not a street: the sentence ended


def test_a_surname_that_is_also_a_place_word_is_still_a_full_name() -> None:
    engine = PolicyEngine(policy(), register([("Grace", "Hall", "", True)]))
    verdict = check("Well done to Grace Hall for her poem.", using=engine)
    [finding] = found(verdict, "pupil-name")
    assert "“Grace Hall” is the full name" in finding.message


@pytest.mark.parametrize(
    "text",
    [
        "Well done Amelia-Rose!",
        "Well done Amelia Rose!",  # hyphen left out
        "Well done Amelia!",  # the first part, as friends say it
        "Great work #WellDoneAmeliaRose",
        "Look at Amelia-Rose's painting.",
    ],
)
def test_a_hyphenated_first_name_is_found_however_it_is_written(text: str) -> None:
    engine = PolicyEngine(policy(), register([("Amelia-Rose", "Evans", "", True)]))
    verdict = check(text, [photo()], declared=True, no_pupils=True, using=engine)
    [finding] = found(verdict, "pupil-name-with-photo")
    assert "Amelia-Rose Evans" in finding.message
