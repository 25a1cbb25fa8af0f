import pytest

from chatbot.domain.findings import Severity
from tests.unit.policy_support import check, found


def messages(text: str) -> list[str]:
    return [f.message for f in found(check(text), "grammar")]


def test_a_repeated_word_warns() -> None:
    [finding] = found(check("We went to the the park."), "grammar")
    assert finding.severity is Severity.WARN
    assert "“the the”" in finding.message


def test_repeats_that_are_right_are_fine() -> None:
    assert messages("What it had had was enough. He said that that was fine.") == []


def test_a_sentence_without_a_capital_warns() -> None:
    assert any("“we”" in m for m in messages("What a day. we loved it."))
    assert any("“what”" in m for m in messages("what a day."))


def test_abbreviations_and_decimals_do_not_start_sentences() -> None:
    assert messages("Bring kit, e.g. trainers, etc. and 3.5 litres of water.") == []


def test_shouting_warns_but_acronyms_do_not() -> None:
    assert any("shouting" in m for m in messages("WELL DONE EVERYONE on sports day."))
    assert messages("PE, RE and PSHE in KS2 with the PTA.") == []
    assert messages("A BIG win today.") == []  # two words is emphasis, not shouting


def test_three_exclamation_marks_warn() -> None:
    assert any("“!!!”" in m for m in messages("What a day!!!"))
    assert messages("What a day!") == []


def test_a_lower_case_i_warns() -> None:
    assert any("“i”" in m for m in messages("Today i visited Year 3."))
    assert any("“i'm”" in m for m in messages("Today i'm in Year 3."))
    assert messages("Gates open at 8.40am, i.e. before the bell.") == []


@pytest.mark.parametrize(
    ("text", "fix"),
    [("We saw a elephant.", "“an elephant”"), ("She ate an banana.", "“a banana”")],
)
def test_a_and_an_in_clear_cases(text: str, fix: str) -> None:
    assert any(fix in m for m in messages(text))


@pytest.mark.parametrize(
    "text",
    [
        "A university visit and a unicorn.",
        "An hour of reading, an honest answer.",
        "An SEN review and a one-off event.",
        "An umbrella and a European trip.",
        "Plan a or b.",
    ],
)
def test_a_and_an_leave_uncertain_cases_alone(text: str) -> None:
    assert messages(text) == []


def test_a_well_written_post_has_no_grammar_findings() -> None:
    text = (
        "Year 5 had a wonderful trip to the Museum of Liverpool today. They learned about "
        "the docks, and I was so proud of them! #HuntsCross"
    )
    assert messages(text) == []
