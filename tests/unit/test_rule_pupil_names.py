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
