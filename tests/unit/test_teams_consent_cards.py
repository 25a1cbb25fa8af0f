"""The Teams consent form's cards: valid Adaptive Cards 1.5, the contract's verbs and inputs,
same-name pupils told apart, a big register searched instead of sent, and the home card's
button only for those who may use it."""

from __future__ import annotations

from datetime import UTC, date, datetime

from chatbot.adapters.teams import consent_cards, home_card
from chatbot.domain.academic_year import AcademicYear
from chatbot.services.home import HomeData
from tests.fixtures.adaptive_cards import inputs, schema_errors, shown_text

YEARS = (AcademicYear(2026), AcademicYear(2027), AcademicYear(2025))
OPEN = {"msteams": {"type": "task/fetch"}, "verb": "consent_open"}


def test_pupils_of_one_label_are_told_apart_by_upn_or_number() -> None:
    pupils = [
        consent_cards.PupilChoice(1, "Jack Jones (Year 2)", "H1"),
        consent_cards.PupilChoice(2, "Jack Jones (Year 6)", "A2"),
        consent_cards.PupilChoice(3, "Amy Lee (Year 3)", "K3"),
        consent_cards.PupilChoice(4, "Amy Lee (Year 3)", ""),
        consent_cards.PupilChoice(5, "Sam Ray", ""),
        consent_cards.PupilChoice(6, "Sam Ray", "Z6"),
    ]
    assert consent_cards.told_apart(pupils) == [
        (1, "Jack Jones (Year 2)"),
        (2, "Jack Jones (Year 6)"),
        (3, "Amy Lee (Year 3, UPN K3)"),
        (4, "Amy Lee (Year 3, register no. 4)"),
        (5, "Sam Ray (register no. 5)"),
        (6, "Sam Ray (UPN Z6)"),
    ]


def test_the_prompt_opens_the_dialog() -> None:
    card = consent_cards.consent_prompt()
    assert schema_errors(card.content) == []
    assert card.content["version"] == "1.5"
    [button] = card.content["actions"]
    assert button["type"] == "Action.Submit"
    assert button["data"] == OPEN


def test_the_dialog_has_the_contracts_inputs_and_shows_what_was_sent() -> None:
    register = [(1, "Jack Jones (Year 2)"), (2, "Jack Jones (Year 6)")]
    card = consent_cards.consent_dialog(YEARS, register)
    assert schema_errors(card) == []
    fields = inputs(card)
    assert list(fields) == ["pupil", "channel", "status", "academic_year", "note"]
    assert fields["pupil"]["style"] == "filtered"
    assert [c["title"] for c in fields["pupil"]["choices"]] == [label for _i, label in register]
    assert fields["academic_year"]["value"] == "2026/27"
    assert [c["value"] for c in fields["academic_year"]["choices"]] == [str(y) for y in YEARS]
    assert fields["channel"]["value"] == "twitter"
    assert "value" not in fields["status"]  # given or withdrawn is never assumed
    assert card["actions"][0]["data"] == {"verb": "consent_record"}

    sent = {"pupil": "2", "channel": "website", "status": "given", "academic_year": "2025/26"}
    again = consent_cards.consent_dialog(
        YEARS, register, sent=sent | {"note": "letter"}, errors={"pupil": "No such pupil."}
    )
    assert schema_errors(again) == []
    fields = inputs(again)
    assert [fields[k]["value"] for k in sent] == ["2", "website", "given", "2025/26"]
    assert fields["note"]["value"] == "letter"
    assert "No such pupil." in shown_text(again)


def test_a_big_register_is_searched_and_the_chosen_pupil_stays() -> None:
    register = [(n, f"Pupil{n} Surname{n} (Year {n % 7})") for n in range(1, 900)]
    card = consent_cards.consent_dialog(YEARS, register, sent={"pupil": "42"})
    assert schema_errors(card) == []
    pupil = inputs(card)["pupil"]
    assert pupil["choices.data"] == {"type": "Data.Query", "dataset": "consent_pupils"}
    assert pupil["choices"] == [{"title": "Pupil42 Surname42 (Year 0)", "value": "42"}]
    assert pupil["value"] == "42"
    small = consent_cards.consent_dialog(YEARS, register[:10])
    assert "choices.data" not in inputs(small)["pupil"]


def test_what_comes_back() -> None:
    assert consent_cards.form_errors({"status": "maybe", "channel": "fax"}) == {
        "status": consent_cards.CHOOSE_STATUS,
        "channel": consent_cards.CHOOSE_CHANNEL,
    }
    data = {"pupil": " 7 ", "channel": "twitter", "status": "withdrawn", "academic_year": "2026/27"}
    assert consent_cards.form_errors(data) == {}
    request = consent_cards.parse_consent(data | {"note": "letter"})
    assert (request.pupil_id, request.give, request.year, request.note) == (
        7,
        False,
        "2026/27",
        "letter",
    )
    assert consent_cards.parse_consent(data | {"pupil": "7,8"}).pupil_id is None


def test_the_home_card_offers_the_form_only_to_the_office_and_slt() -> None:
    data = HomeData(
        user_id="00000000-0000-0000-0000-00000000517a",
        is_slt=False,
        now=datetime(2026, 11, 25, 10, 42, tzinfo=UTC),
        review_date=date(2027, 9, 1),
        pending=(),
        decisions=(),
        own=(),
        network="X",
    )
    plain = home_card.home_card(data).content
    assert "actions" not in plain
    office = home_card.home_card(data, may_record_consent=True).content
    assert schema_errors(office) == []
    assert [a["data"] for a in office["actions"]] == [OPEN]
