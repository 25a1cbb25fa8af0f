import pytest

from chatbot.domain.findings import Severity
from tests.unit.policy_support import check, found


def test_a_misspelling_warns_with_a_suggestion() -> None:
    [finding] = found(check("We will recieve the awards on Friday."), "spelling")
    assert finding.severity is Severity.WARN
    assert "“recieve”" in finding.message
    assert "“receive”" in finding.message


@pytest.mark.parametrize(
    ("word", "british"),
    [
        ("color", "colour"),
        ("center", "centre"),
        ("favorite", "favourite"),
        ("organize", "organise"),
        ("mom", "mum"),
        ("Colors", "colours"),
    ],
)
def test_us_spellings_get_the_british_form(word: str, british: str) -> None:
    [finding] = found(check(f"Our {word} is here."), "spelling")
    assert british in finding.message


def test_other_ize_words_get_the_ise_form() -> None:
    [finding] = found(check("We will publicize the results."), "spelling")
    assert "publicise" in finding.message


@pytest.mark.parametrize(
    "text",
    [
        "The children's colourful paintings are in the centre.",
        "We've organised a programme of events; don't miss it!",
        "Thank you to Ofsted, the EYFS team and Reception.",
        "Well done Siobhan and Zoë Okafor and Mrs Whitfield.",
        "Sarah Whitfield led assembly.",
        "Follow @HuntsCrossPri #HuntsCrossPride https://example.org/recieeve",
        "Year 4 scored 25/30 🎉 on their times-tables.",
        "A well-deserved win for the under-11s.",
        "NHS and RNLI visitors spoke to KS2.",
        "Our iPad club meets at 3.30pm.",
        "Year 5 wrote a program in Scratch.",  # British for computers
        "Bring coats, hats etc. and a snack.",  # an abbreviation with its full stop
        "Mrs Gray and Mr Colorado led assembly.",  # surnames after a title
        "Bring wellies for Forest School; nans and grandads welcome.",
        "Year 6 visited Jodrell Bank and Calderstones Park.",
        "Year 2 learned about Mary Seacole and Walter Tull.",  # the policy's not-pupils list
    ],
)
def test_names_school_words_handles_links_numbers_and_emoji_are_not_misspellings(
    text: str,
) -> None:
    assert found(check(text), "spelling") == []


def test_each_word_is_reported_once() -> None:
    assert len(found(check("recieve, recieve"), "spelling")) == 1


def test_words_in_other_scripts_are_left_alone() -> None:
    assert found(check("Welcome, 欢迎 and مرحبا to our new families."), "spelling") == []


def test_only_a_few_words_get_a_suggestion_so_a_check_stays_quick() -> None:
    findings = found(check("Xqzvy wrpltk gnorfle blimbob skrunt."), "spelling")
    assert len(findings) == 5
    assert sum("Did you mean" in f.message for f in findings) <= 3
    long_word = found(check("a" * 60), "spelling")
    assert long_word
    assert "Did you mean" not in long_word[0].message
