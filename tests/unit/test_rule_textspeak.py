import pytest

from chatbot.domain.findings import Severity
from tests.unit.policy_support import check, found


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("What a day lol", "lol"),
        ("Year 6 were gr8 today.", "gr8"),
        ("See you l8r at the disco.", "l8r"),
        ("Thank u to all our parents.", "u"),
        ("Thx for coming!", "Thx"),
        ("Trip is 2moro, pls bring a coat.", "2moro"),
        ("LOL what a morning.", "LOL"),
    ],
)
def test_text_language_blocks(text: str, word: str) -> None:
    findings = found(check(text), "textspeak")
    assert findings, text
    assert findings[0].severity is Severity.BLOCK
    assert f"“{word}”" in findings[0].message


def test_the_message_says_what_to_write_instead() -> None:
    [finding] = found(check("Year 6 were gr8 today."), "textspeak")
    assert "“great”" in finding.message
    assert "gr8" in finding.excerpt


@pytest.mark.parametrize(
    "text",
    [
        "PE is on Tuesday and RE on Wednesday.",
        "PSHE, RSE and SMSC in KS2.",
        "Good luck to Year 6 with their SATs.",
        "Our EYFS garden and Year R classroom.",
        "Meet the SENCO and the PTA after school.",
        "DT projects: bridges and moving toys.",
        "U-shaped tables and a UK map.",
        "Our theme is Under the Sea.",
        "Well done to Ty and Cos for their poems.",  # names, capitalised mid-sentence
    ],
)
def test_school_acronyms_and_ordinary_words_are_not_text_language(text: str) -> None:
    assert not found(check(text), "textspeak")


def test_u_counts_only_as_a_word_on_its_own() -> None:
    assert not found(check("A u-bend, a U-boat and a U turn."), "textspeak")
    assert found(check("Hope u enjoy it."), "textspeak")


def test_each_word_is_reported_once() -> None:
    assert len(found(check("lol lol LOL"), "textspeak")) == 1
