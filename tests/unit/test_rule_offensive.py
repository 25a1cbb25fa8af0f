import pytest

from chatbot.domain.findings import Severity
from chatbot.policy.offensive import find_offensive
from tests.unit.policy_support import check, found, photo, policy


def hits(text: str) -> list[str]:
    rule = policy().rules.offensive
    return [h.matched for h in find_offensive(text, rule.words, rule.safe_phrases)]


@pytest.mark.parametrize(
    ("text", "matched"),
    [
        ("What the fuck", "fuck"),
        ("Total bollocks.", "bollocks"),
        ("It was SHIT", "SHIT"),
        ("f*ck this", "f*ck"),
        ("f**k this", "f**k"),
        ("sh1t happens", "sh1t"),
        ("$hit happens", "$hit"),
        ("sh!t happens", "sh!t"),
        ("an @rse", "@rse"),
        ("s.h.i.t", "s.h.i.t"),
        ("s h i t", "s h i t"),
        ("shiiiiit", "shiiiiit"),
        ("fuuuuck", "fuuuuck"),
        ("a fucking joke", "fucking"),
        ("so shitty", "shitty"),
        ("wankers!", "wankers"),
    ],
)
def test_offensive_words_are_found_in_disguise(text: str, matched: str) -> None:
    assert hits(text) == [matched]


@pytest.mark.parametrize(
    "text",
    [
        "A trip to Scunthorpe and Penistone.",
        "Holidays in Cockermouth and Essex.",
        "We read Dickens in class.",
        "Teachers assess the grass analysis.",
        "A cocktail of passion fruit; shiitake mushrooms.",
        "The cast of Dick Whittington and Moby Dick by Herman Melville.",
        "Books by Dick King-Smith and a bowl of spotted dick.",
        "Year 5 scored 5/5; 3 sh 1 t.",
        "Hitchcock, Arsenal and Matsushita.",
        "She pricked her finger on a spinning wheel.",
    ],
)
def test_innocent_words_never_match(text: str) -> None:
    assert hits(text) == []


def test_the_rule_blocks_and_quotes_the_word() -> None:
    [finding] = found(check("That was sh1t."), "offensive")
    assert finding.severity is Severity.BLOCK
    assert "“sh1t”" in finding.message
    assert "sh1t" in finding.excerpt


def test_alt_text_is_checked_too() -> None:
    verdict = check("Art day.", [photo(alt="a sh1t drawing")], declared=True, no_pupils=True)
    [finding] = found(verdict, "offensive")
    assert finding.excerpt.startswith("alt text of photo 1:")


def test_camel_case_hashtags_are_read_word_by_word() -> None:
    [finding] = found(check("What a week #ShitWeek"), "offensive")
    assert "#ShitWeek" in finding.message
    assert not found(check("Off to #Scunthorpe and #Cockermouth #ClassOf2027"), "offensive")
