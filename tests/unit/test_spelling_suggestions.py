"""Spelling suggestions (chatbot/policy/suggestions.py): the likeliest word, British, or none."""

from __future__ import annotations

from pathlib import Path

import pytest

from chatbot.policy.dictionary import Dictionary, load_dictionary
from chatbot.policy.suggestions import Frequencies, Suggester
from tests.unit.policy_support import check, found, policy


def dictionary() -> Dictionary:
    return load_dictionary(policy().rules.spelling.dictionary)


@pytest.mark.parametrize(
    ("typo", "intended"),
    [
        ("thier", "their"),
        ("recieve", "receive"),
        ("seperate", "separate"),
        ("definately", "definitely"),
        ("tommorow", "tomorrow"),
        ("wich", "which"),
        ("dont", "don't"),
        ("alot", "a lot"),
    ],
)
def test_common_misspellings_get_the_intended_word_first(typo: str, intended: str) -> None:
    assert dictionary().suggest(typo) == intended


@pytest.mark.parametrize(
    ("typo", "british"),
    [
        ("colur", "colour"),
        ("favorit", "favourite"),
        ("centr", "centre"),
        ("neighbur", "neighbour"),
        ("jewlery", "jewellery"),
        ("organsie", "organise"),  # en_GB also has "organize"; the -ise form is suggested
        ("programe", "programme"),
    ],
)
def test_suggestions_are_british(typo: str, british: str) -> None:
    assert dictionary().suggest(typo) == british


@pytest.mark.parametrize(
    ("typo", "intended"),
    [("Thier", "Their"), ("THIER", "THEIR"), ("Recieve", "Receive"), ("febuary", "February")],
)
def test_the_capital_is_kept_and_a_proper_noun_gets_its_own(typo: str, intended: str) -> None:
    assert dictionary().suggest(typo) == intended


@pytest.mark.parametrize("nonsense", ["Xqzvy", "wrpltk", "blimbob", "asdfgh"])
def test_a_word_nothing_is_close_to_gets_no_suggestion(nonsense: str) -> None:
    assert dictionary().suggest(nonsense) is None
    assert dictionary().suggestions(nonsense) == []


def test_the_rule_suggests_their_for_thier() -> None:
    [finding] = found(check("Thier parents came to the concert."), "spelling")
    assert "Did you mean “Their”?" in finding.message


def test_a_suggestion_the_policy_lists_as_us_comes_in_the_british_form() -> None:
    # en_GB knows both gray and grey; the policy's us-spellings list asks for grey.
    assert "gray" in dictionary().suggestions("grya")
    [finding] = found(check("The sky was grya all day."), "spelling")
    assert "Did you mean “grey”?" in finding.message


def test_a_suggestion_is_made_only_for_a_reported_misspelling(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    asked: list[str] = []
    real = dictionary().suggest

    def spy(word: str) -> str | None:
        asked.append(word)
        return real(word)

    monkeypatch.setattr(dictionary(), "suggest", spy)
    assert found(check("Year 3 enjoyed their trip to the theatre on Tuesday."), "spelling") == []
    assert asked == []
    [finding] = found(check("Year 3 enjoyed thier trip to the museum on Monday."), "spelling")
    assert asked == ["thier"]
    assert "“their”" in finding.message


def test_ranking_puts_a_rep_table_pair_and_a_swap_before_other_edits(tmp_path: Path) -> None:
    # Equal counts, so only the kind of edit decides.
    words = ["phone", "bone", "their", "shier", "tier"]
    listed = tmp_path / "counts.txt"
    listed.write_text("".join(f"{w} 1000\n" for w in words), encoding="utf-8")
    suggester = Suggester(
        lambda w: w in words, rep=[("f", "ph")], frequencies=lambda: Frequencies(listed)
    )
    # "bone" changes the first letter of a short word: too far to be worth suggesting.
    assert suggester.suggestions("fone") == ["phone"]
    assert suggester.suggestions("thier") == ["their", "tier", "shier"]
    assert suggester.suggestions("Thier", limit=1) == ["Their"]
