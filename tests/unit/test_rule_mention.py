from chatbot.domain.findings import Severity
from tests.unit.policy_support import check, found


def test_an_allowlisted_account_is_fine_in_any_case() -> None:
    assert not found(check("Thank you @NSPCC for the assembly. Follow @huntscrosspri"), "mention")


def test_an_individual_account_warns() -> None:
    [finding] = found(check("Thanks @JaneMum1985 for the cakes!"), "mention")
    assert finding.severity is Severity.WARN
    assert "@JaneMum1985" in finding.message
    assert "individual parents" in finding.message


def test_a_reply_is_named_as_one() -> None:
    [finding] = found(check("@dad_of_three Yes, it starts at 9."), "mention")
    assert "reply" in finding.message


def test_email_addresses_are_not_mentions() -> None:
    assert not found(check("Email office@huntscross.sch.uk for details."), "mention")


def test_each_account_is_reported_once() -> None:
    assert len(found(check("@abc and @abc and @ABC"), "mention")) == 1
