from chatbot.domain.findings import Severity
from tests.unit.policy_support import check, found, photo


def test_no_text_and_no_photos_blocks() -> None:
    [finding] = found(check("   "), "empty")
    assert finding.severity is Severity.BLOCK
    assert "no text and no photos" in finding.message


def test_photos_alone_are_not_empty() -> None:
    assert not found(check("", [photo()], declared=True, no_pupils=True), "empty")


def test_text_alone_is_not_empty() -> None:
    assert not found(check("Sports day is on Friday."), "empty")
