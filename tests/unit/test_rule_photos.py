from datetime import date

from chatbot.domain.academic_year import AcademicYear
from chatbot.domain.drafts import DraftContent
from chatbot.domain.findings import Severity
from chatbot.policy.engine import PolicyEngine
from tests.unit.policy_support import PUPILS, check, found, photo, policy, register, rules


def test_photos_without_a_declaration_block() -> None:
    [finding] = found(check("Sports day.", [photo()]), "photo-undeclared")
    assert finding.severity is Severity.BLOCK
    assert not found(
        check("Sports day.", [photo()], declared=True, no_pupils=True), "photo-undeclared"
    )


def test_a_pictured_pupil_with_consent_passes() -> None:
    verdict = check("Sports day.", [photo()], declared=True, pictured=["Zoë Okafor"])
    assert verdict.outcome == "pass", verdict.as_dict()


def test_a_pictured_pupil_without_twitter_consent_blocks() -> None:
    verdict = check("Sports day.", [photo()], declared=True, pictured=["Grace Lindqvist"])
    [finding] = found(verdict, "photo-consent")
    assert finding.severity is Severity.BLOCK
    assert "Grace Lindqvist does not have Twitter consent for 2026/27" in finding.message


def test_the_preferred_name_finds_the_pupil_too() -> None:
    verdict = check("Sports day.", [photo()], declared=True, pictured=["Sasha Petrov"])
    assert "does not have Twitter consent" in found(verdict, "photo-consent")[0].message


def test_a_pictured_name_not_on_the_register_blocks() -> None:
    verdict = check("Sports day.", [photo()], declared=True, pictured=["Zoe Okafore"])
    [finding] = found(verdict, "photo-consent")
    assert "not on the register" in finding.message


def test_a_pupil_only_on_another_years_register_blocks_without_a_name() -> None:
    verdict = check(
        "Sports day.", [photo()], declared=True, pictured=["Zoë Okafor"], off_register=1
    )
    [finding] = found(verdict, "photo-consent")  # Zoë has consent; the other child has none
    assert finding.severity is Severity.BLOCK
    assert finding.message.startswith(
        "A pictured child is not on this year's register (no consent): "
    )
    assert "2026/27" in finding.message
    assert finding.excerpt == ""
    two = found(check("x.", [photo()], declared=True, off_register=2), "photo-consent")
    assert [f.message.split(":")[0] for f in two] == [
        "2 pictured children are not on this year's register (no consent)"
    ]


def test_someone_not_on_the_register_blocks_even_beside_pupils_with_consent() -> None:
    verdict = check("x.", [photo()], declared=True, pictured=["Zoë Okafor"], unregistered=True)
    [finding] = found(verdict, "photo-consent")
    assert finding.severity is Severity.BLOCK
    assert finding.message.startswith("A pictured child is not on the register, so there is no")
    assert (finding.excerpt, verdict.outcome) == ("", "block")
    # with no register at all for the year, both are said: the register, and the unknown child
    empty = PolicyEngine(policy(), register((), AcademicYear(2026)))
    both = found(
        check("x.", [photo()], declared=True, off_register=1, unregistered=True, using=empty),
        "photo-consent",
    )
    assert [f.message.split(" ")[:3] for f in both] == [
        ["There", "is", "no"],
        ["A", "pictured", "child"],
    ]


def test_a_register_for_another_year_gives_nobody_consent() -> None:
    old = PolicyEngine(policy(), register(PUPILS, AcademicYear(2025)))
    verdict = check("Sports day.", [photo()], declared=True, pictured=["Zoë Okafor"], using=old)
    [finding] = found(verdict, "photo-consent")
    assert "There is no register for 2026/27 yet" in finding.message


def test_after_31_august_last_years_register_gives_nobody_consent() -> None:
    # A roster of 2026/27 read for a post in 2027/28 leaves that year's register empty.
    empty = PolicyEngine(policy(), register((), AcademicYear(2027)))
    verdict = check(
        "x.",
        [photo()],
        declared=True,
        pictured=["Zoë Okafor", "Will Brennan"],
        post_date=date(2027, 9, 1),
        using=empty,
    )
    [finding] = found(verdict, "photo-consent")  # one finding says it, not one per pupil
    assert "There is no register for 2027/28 yet" in finding.message
    assert "1 September 2027" in finding.message
    assert "ended on 31 August" in finding.message


def test_pictured_names_are_found_as_typed_without_accents_or_with_curly_apostrophes() -> None:
    pupils = (*PUPILS, ("Isla", "O'Connor", "", True))
    engine = PolicyEngine(policy(), register(pupils))
    verdict = check(
        "x.",
        [photo()],
        declared=True,
        pictured=["Zoe Okafor", "Isla O’Connor", "  zoë   okafor "],
        using=engine,
    )
    assert not found(verdict, "photo-consent"), verdict.as_dict()


def test_consent_is_for_the_academic_year_of_the_post_date() -> None:
    # 31 August 2027 is still 2026/27; 1 September 2027 is 2027/28.
    args = {"declared": True, "pictured": ["Zoë Okafor"]}
    assert not found(check("x.", [photo()], post_date=date(2027, 8, 31), **args), "photo-consent")
    assert found(check("x.", [photo()], post_date=date(2027, 9, 1), **args), "photo-consent")


def test_faces_in_photos_declared_without_pupils_warn() -> None:
    verdict = check("Our garden.", [photo(faces=2)], declared=True, no_pupils=True)
    [finding] = found(verdict, "faces-undeclared")
    assert finding.severity is Severity.WARN
    assert "2 faces" in finding.message
    assert not found(
        check("Our garden.", [photo(faces=0)], declared=True, no_pupils=True), "faces-undeclared"
    )
    assert not found(
        check("Our garden.", [photo(faces=2)], declared=True, pictured=["Zoë Okafor"]),
        "faces-undeclared",
    )


def test_a_photo_without_alt_text_warns() -> None:
    verdict = check("Our garden.", [photo(alt="  ")], declared=True, no_pupils=True)
    [finding] = found(verdict, "alt-text")
    assert finding.severity is Severity.WARN
    assert "Photo 1 (a.jpg)" in finding.message


def test_more_than_four_photos_block() -> None:
    four = check("Trip.", [photo()] * 4, declared=True, no_pupils=True)
    assert "photo-count" not in rules(four)
    [finding] = found(check("Trip.", [photo()] * 5, declared=True, no_pupils=True), "photo-count")
    assert finding.severity is Severity.BLOCK
    assert "Remove 1" in finding.message


def test_an_unusable_file_blocks_with_its_reason() -> None:
    bad = photo(problem="this file is not a photo; attach a JPEG or PNG", faces=None)
    [finding] = found(check("Trip.", [bad], declared=True, no_pupils=True), "photo-format")
    assert finding.severity is Severity.BLOCK
    assert "not a photo" in finding.message
    assert not found(check("Trip.", [bad], declared=True, no_pupils=True), "alt-text")


def test_consent_known_by_id_counts_over_the_register_lookup_by_name() -> None:
    """Two pupils of one name: the service says whose consent applies; the rule trusts it."""
    engine = PolicyEngine(policy(), register())

    def verdict(consent: tuple[bool, ...]) -> list[str]:
        content = DraftContent(
            text="Sports day.",
            photos=(photo(),),
            declared=True,
            pictured=("Zoë Okafor",),  # on the register with consent
            pictured_consent=consent,
            post_date=date(2026, 10, 1),
        )
        return [f.message for f in found(engine.check(content), "photo-consent")]

    assert verdict((True,)) == []
    [refused] = verdict((False,))
    assert refused.startswith("Zoë Okafor does not have Twitter consent for 2026/27")
