from chatbot.domain.findings import Severity
from tests.unit.policy_support import check, found


def test_280_characters_pass() -> None:
    assert not found(check("a" * 280), "length")


def test_281_characters_block_with_the_count() -> None:
    [finding] = found(check("Sports day. " + "a" * 269), "length")
    assert finding.severity is Severity.BLOCK
    assert "281" in finding.message
    assert "by 1" in finding.message


def test_links_count_as_23_however_long() -> None:
    link = "https://www.example.org/" + "x" * 200
    assert not found(check(f"Our newsletter: {link}"), "length")


def test_emoji_count_double() -> None:
    assert not found(check("🎉" * 140), "length")
    assert found(check("🎉" * 141), "length")


def test_short_links_still_count_23_each() -> None:
    text = "See " + " ".join(f"site{n}.co" for n in range(12))  # 12 links: 12 x 23 > 280
    [finding] = found(check(text), "length")
    assert "the limit is 280" in finding.message


def test_cjk_counts_double() -> None:
    assert not found(check("学" * 140), "length")
    assert found(check("学" * 141), "length")


def test_a_long_post_gets_the_exact_count_and_what_is_over() -> None:
    [finding] = found(check("Lovely day. " * 200), "length")
    assert "2,400 characters as X counts them" in finding.message
    assert "Shorten it by 2,120" in finding.message


def test_counts_agree_with_twitter_text() -> None:
    from twitter_text import parse_tweet

    from chatbot.policy.rules.length import weighted_length

    for text in [
        "Hello 世界 🏴󠁧󠁢󠁥󠁮󠁧󠁿 👍🏽 https://example.org/a?b=1 and www.bbc.co.uk.\r\nBye é" * 5,
        "Café\u0301 " * 40,
        "x" * 300,
    ]:
        assert weighted_length(text, 280)[0] == parse_tweet(text).weightedLength


def test_an_emoji_sequence_counts_2_however_many_code_points() -> None:
    england = "🏴󠁧󠁢󠁥󠁮󠁧󠁿"  # 7 code points
    assert not found(check(england * 140), "length")
    assert found(check(england * 141), "length")
