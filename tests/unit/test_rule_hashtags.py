from chatbot.domain.findings import Severity
from tests.unit.policy_support import check, found


def test_up_to_the_limit_is_fine() -> None:
    assert not found(check("Sports day! #PE #Teamwork #HuntsCross"), "hashtags")


def test_over_the_limit_warns_and_lists_them() -> None:
    [finding] = found(check("Sports day! #PE #Teamwork #HuntsCross #Sun"), "hashtags")
    assert finding.severity is Severity.WARN
    assert "4 hashtags" in finding.message
    assert finding.excerpt == "#PE #Teamwork #HuntsCross #Sun"


def test_a_hash_in_a_link_is_not_a_hashtag() -> None:
    text = "Details: https://example.org/page#a https://example.org/p#b #One #Two #Three"
    assert not found(check(text), "hashtags")
