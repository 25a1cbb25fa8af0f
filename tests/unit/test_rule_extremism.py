import pytest

from chatbot.domain.findings import Severity
from chatbot.policy.phrases import find_phrases
from tests.unit.policy_support import check, found, policy


def test_a_prevent_phrase_blocks() -> None:
    [finding] = found(check("Proud to say WHITE POWER today."), "extremism")
    assert finding.severity is Severity.BLOCK
    assert "Designated Safeguarding Lead" in finding.message
    assert "prevent duty" in finding.clause


@pytest.mark.parametrize("text", ["white-power", "Wh1te P0wer!", "white\npower", "Blood and soil"])
def test_punctuation_case_and_digits_do_not_hide_a_phrase(text: str) -> None:
    assert find_phrases(text, policy().rules.extremism.phrases)


@pytest.mark.parametrize(
    "text",
    [
        "The white powder in the science lesson.",
        "We learned about the Second World War and the race to the moon.",
        "Our class of whitepower station visitors.",  # not a whole-word match
        "A blood donor and soil samples.",
    ],
)
def test_ordinary_history_and_science_posts_pass(text: str) -> None:
    assert not found(check(text), "extremism")


def test_undermining_phrases_for_the_mentions_monitor() -> None:
    hits = find_phrases("@HuntsCrossPri worst school ever, shame on you", policy().undermining)
    assert [h.phrase for h in hits] == ["worst school", "shame on you"]
    assert find_phrases("Best school ever, thank you!", policy().undermining) == []


def test_camel_case_hashtags_are_read_word_by_word() -> None:
    [finding] = found(check("Proud #WhitePower"), "extremism")
    assert "white power" in finding.message
    assert not found(check("Science week #WhitePowder"), "extremism")
