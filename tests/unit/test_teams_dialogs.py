"""The "Who is pictured?" dialog: the contract's input ids and submit data, errors beside the
inputs, a big register, what comes back, and the task-module envelopes."""

from __future__ import annotations

import json
from typing import Any

import pytest

from chatbot.adapters.teams import dialogs
from chatbot.adapters.teams.elements import MESSAGE_LIMIT
from chatbot.services.intake import Declaration, DeclarationForm
from tests.fixtures.adaptive_cards import inputs, of_type, schema_errors, shown_text

FIRST = ["Olivia", "Muhammad", "Amelia", "Noah", "Isla", "Oliver", "Ava", "George", "Zoë", "Leo"]
LAST = ["Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans", "Wilson", "Khan"]
GROUPS = ["N", "R", "1", "2", "3", "4", "5", "6"]


def register(size: int) -> list[tuple[int, str]]:
    """A register of `size` pupils, labelled as the core labels them: "First Last (Year 4)"."""
    pupils = []
    for n in range(size):
        first = FIRST[n % len(FIRST)] + ("-Grace" if n % 7 == 0 else "")
        last = LAST[(n // len(FIRST)) % len(LAST)] + ("-Robinson" if n % 11 == 0 else "")
        group = GROUPS[n % len(GROUPS)]
        year = {"N": "Nursery", "R": "Reception"}.get(group, f"Year {group}")
        pupils.append((1000 + n, f"{first} {last} ({year})"))
    return pupils


def valid(card: dict[str, Any]) -> dict[str, Any]:
    assert schema_errors(card) == []
    assert card["version"] == "1.5"
    return card


def submit_of(card: dict[str, Any]) -> dict[str, Any]:
    (submit,) = of_type(card, "Action.Submit")
    return submit


def test_the_dialog_has_the_contract_inputs_and_submit_data() -> None:
    card = valid(dialogs.declare_dialog(12, 3, register=register(30)))
    found = inputs(card)
    assert list(found) == ["pictured_pupils", "no_pupils", "alt_text_0", "alt_text_1",
                           "alt_text_2", "photo_source"]  # fmt: skip
    pupils = found["pictured_pupils"]
    assert pupils["type"] == "Input.ChoiceSet"
    assert pupils["isMultiSelect"] is True
    assert pupils["style"] == "filtered"
    assert pupils["choices"][0] == {
        "title": "Olivia-Grace Smith-Robinson (Nursery)",
        "value": "1000",
    }
    assert found["no_pupils"]["type"] == "Input.Toggle"
    assert (found["no_pupils"]["valueOn"], found["no_pupils"]["valueOff"]) == ("true", "false")
    assert all(found[f"alt_text_{n}"]["type"] == "Input.Text" for n in range(3))
    assert submit_of(card)["data"] == {"verb": "declare_photos", "draft": "12"}
    assert of_type(card, "Action.Execute") == []


def test_a_four_photo_draft_asks_four_descriptions_and_never_more() -> None:
    card = valid(dialogs.declare_dialog(3, 6, register=register(5)))
    assert [k for k in inputs(card) if k.startswith("alt_text_")] == [
        f"alt_text_{n}" for n in range(4)
    ]


def test_the_stored_declaration_is_shown() -> None:
    form = DeclarationForm(
        declaration=Declaration(pupil_ids=(1003, 1001), alt_texts=("A *star*", ""), source="staff"),
        photo_count=2,
        pupils=((1003, "Noah Smith (Year 2)"), (1001, "Muhammad Smith (Reception)")),
    )
    card = valid(dialogs.declare_dialog_for(5, form, register=register(10)))
    found = inputs(card)
    assert found["pictured_pupils"]["value"] == "1003,1001"
    assert found["alt_text_0"]["value"] == "A *star*"
    assert "value" not in found["alt_text_1"]
    assert found["photo_source"]["value"] == "staff"
    assert found["no_pupils"]["value"] == "false"


def test_errors_are_shown_beside_their_inputs() -> None:
    errors = {
        "pictured_pupils": "Tom Jones has no consent for Twitter.",
        "alt_text_1": "Too long *really*",
        "photo_source": "Choose where the photos came from.",
    }
    card = valid(dialogs.declare_dialog(5, 2, register=register(10), errors=errors, no_pupils=True))
    body = card["body"]
    ids = [b.get("id") for b in body]
    for key, message in errors.items():
        after = body[ids.index(key) + 1 :]
        shown = next(b for b in after if b["type"] == "RichTextBlock")
        assert shown["inlines"][0]["text"] == message  # a run: shown as written
        assert shown["inlines"][0]["color"] == "attention"
    assert "Please check the points in red below." in shown_text(card)
    assert inputs(card)["no_pupils"]["value"] == "true"
    assert "Please check" not in shown_text(dialogs.declare_dialog(5, 2, register=register(3)))


def test_a_600_pupil_register_is_searched_and_the_dialog_stays_small() -> None:
    pupils = register(600)
    static = json.dumps(
        [{"title": label, "value": str(i)} for i, label in pupils], ensure_ascii=False
    ).encode()
    chosen = pupils[:3]
    card = valid(dialogs.declare_dialog(9, 4, register=pupils, initial_pupils=chosen))
    choice_set = inputs(card)["pictured_pupils"]
    assert choice_set["choices.data"] == {"type": "Data.Query", "dataset": "pupils"}
    # the chosen pupils, and "someone not on the register", which search never offers
    assert [c["value"] for c in choice_set["choices"]] == ["1000", "1001", "1002", "unregistered"]
    assert choice_set["value"] == "1000,1001,1002"
    size = len(json.dumps(dialogs.continue_task(card), ensure_ascii=False).encode())
    assert size < MESSAGE_LIMIT
    # Measured: the 600 static choices alone would be about as big as Teams allows a message.
    assert len(static) > dialogs.STATIC_CHOICES_BUDGET
    print(f"600 pupils: static choices {len(static)} bytes; searched dialog {size} bytes")


def test_a_register_that_fits_is_offered_whole_and_the_switch_is_by_size() -> None:
    fits = inputs(valid(dialogs.declare_dialog(9, 1, register=register(300))))["pictured_pupils"]
    assert len(fits["choices"]) == 300
    assert "choices.data" not in fits
    for size in (300, 350, 400, 450, 500):
        card = valid(dialogs.declare_dialog(9, 1, register=register(size)))
        assert len(json.dumps(card, ensure_ascii=False).encode()) < MESSAGE_LIMIT
    searched = inputs(valid(dialogs.declare_dialog(9, 1)))["pictured_pupils"]
    assert [c["value"] for c in searched["choices"]] == ["unregistered"]
    assert searched["choices.data"]["dataset"] == "pupils"


def test_a_label_with_a_comma_keeps_the_value_an_id() -> None:
    card = valid(dialogs.declare_dialog(9, 1, register=[(7, "Smith, Jo (Year 1)")]))
    (choice,) = inputs(card)["pictured_pupils"]["choices"]
    assert choice == {"title": "Smith, Jo (Year 1)", "value": "7"}


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (
            {"verb": "declare_photos", "draft": "9", "pictured_pupils": "1003,1001",
             "no_pupils": "false", "alt_text_0": " Kids ", "alt_text_1": "",
             "photo_source": "staff"},
            Declaration(pupil_ids=(1003, 1001), no_pupils=False, alt_texts=("Kids", ""),
                        source="staff"),
        ),
        (
            {"no_pupils": "true", "pictured_pupils": ""},
            Declaration(pupil_ids=(), no_pupils=True, alt_texts=("", ""), source=None),
        ),
        (
            {"pictured_pupils": "12,abc, 13 ,-1", "photo_source": "bogus"},
            Declaration(pupil_ids=(12, 13), no_pupils=False, alt_texts=("", ""), source="bogus"),
        ),
    ],
)  # fmt: skip
def test_what_comes_back_is_the_cores_declaration(
    data: dict[str, Any], expected: Declaration
) -> None:
    assert dialogs.parse_declaration(data, 2) == expected


def test_task_envelopes_and_search_answer() -> None:
    card = dialogs.declare_dialog(9, 1)
    answer = dialogs.continue_task(card)
    assert answer["task"]["type"] == "continue"
    value = answer["task"]["value"]
    assert value["title"] == "Who is pictured?"
    assert value["card"] == {
        "contentType": "application/vnd.microsoft.card.adaptive",
        "content": card,
    }
    assert dialogs.message_task("Saved.") == {"task": {"type": "message", "value": "Saved."}}
    found = dialogs.search_response(register(40))
    assert found["type"] == "application/vnd.microsoft.search.searchResponse"
    assert len(found["value"]["results"]) == 15
    assert found["value"]["results"][1] == {"title": "Muhammad Smith (Reception)", "value": "1001"}


def test_action_answers() -> None:
    assert dialogs.action_message("Only SLT can approve.") == {
        "statusCode": 200,
        "type": "application/vnd.microsoft.activity.message",
        "value": "Only SLT can approve.",
    }
    card = dialogs.declare_dialog(1, 1)
    assert dialogs.action_card(card) == {
        "statusCode": 200,
        "type": "application/vnd.microsoft.card.adaptive",
        "value": card,
    }
