"""Grown-ups and pets named by first name (issue 12, from the eleventh batch's clean posts):
staff, visitors and volunteers share pupils' names, and the words say who they are."""

from __future__ import annotations

import pytest

from chatbot.domain.findings import Finding
from chatbot.policy.engine import PolicyEngine
from tests.unit.policy_support import check, found, photo, policy, register

PUPILS = [
    (first, "Pupil", "", True)
    for first in (
        "Reggie", "Mariam", "Daniel", "Kwame", "Patience", "Mark", "Dawn", "Ibrahim",
        "Priya", "Martin", "Sophie", "Maria", "Ana", "Precious", "Omar", "Aoife", "Idris",
        "Kai", "Evelyn", "Hodan", "Ezra", "Margot", "Grace", "Joy", "Ava", "Zara", "Jack",
        "Hope", "Rohan",
    )
]  # fmt: skip


@pytest.fixture(scope="module")
def engine() -> PolicyEngine:
    return PolicyEngine(policy(), register(PUPILS))


def names(engine: PolicyEngine, text: str) -> list[Finding]:
    verdict = check(
        text, [photo(alt="Children at work")], declared=True, no_pupils=True, using=engine
    )
    return found(verdict, "pupil-name-with-photo")


@pytest.mark.parametrize(
    "text",
    [
        # a role before the name, or the list it starts
        "Thank you to our caretaker Reggie for fixing the gate.",
        "Firefighters Ibrahim and Martin visited Year 2 today.",
        "thank you to our lunchtime team grace, joy and dawn for keeping everyone fed",
        "What a treat: children's author Evelyn spent the day with us.",
        "After 26 years our lollipop lady Dawn hangs up her stick today.",
        # a role after it
        "Thank you to Dawn, our learning mentor, who made worry monsters with Year 2.",
        "A big thank you to Priya, one of our parent volunteers, for the rangoli.",
        "Thank you to Rohan, a coach from our local cricket club, for the taster session.",
        "Today we said goodbye to Sophie, our wonderful Year 1 TA.",
        "thank u mark our lollipop man 🛑 20 years this week",
        "A big welcome to Ezra, our new forest school leader.",
        # where they come from
        "A huge thank you to Kwame and Patience from our PTA for repainting the games.",
        "Special thanks to Maria, Ana and Precious from the PTA who ran the tombola.",
        "Thank you to Idris from the RSPB who helped Year 4 make bird feeders.",
        "any probs ask for mariam in the office",
        # joining or leaving the staff
        "Mariam joins us as a TA in Reception.",
        "A warm welcome to Omar, who joins us as our new Year 5 teacher.",
        "A big welcome to Hodan, who has joined the office team.",
        "Daniel is our new site manager.",
        "After 28 years in our kitchen, Margot is hanging up her apron.",
    ],
)
def test_a_grown_up_is_no_pupil(engine: PolicyEngine, text: str) -> None:
    assert names(engine, text) == [], text


@pytest.mark.parametrize(
    ("text", "pupil"),
    [
        ("Well done to Ava from Year 2 for her lovely poem.", "Ava Pupil"),
        ("Well done to Idris from the school council for his speech.", "Idris Pupil"),
        ("Congratulations to our netball team Ava and Zara!", "Zara Pupil"),
        ("Ava joins us in Year 2 this week, welcome!", "Ava Pupil"),
        ("Hope hung up her own coat and found her peg.", "Hope Pupil"),
        ("Ava in the library reading to the younger children.", "Ava Pupil"),
        ("Ava, our star reader, finished her 50th book!", "Ava Pupil"),
        ("Ava, our new school councillor, gave a speech.", "Ava Pupil"),
        # roles children have too
        ("Congratulations to our young author Ava on her prize-winning story!", "Ava Pupil"),
        ("Ava, our class poet, read her poem in assembly.", "Ava Pupil"),
        ("Ava, our new head girl, showed the visitors round.", "Ava Pupil"),
        ("Well done to Idris from 4K, who went to the mosque to learn about Eid.", "Idris Pupil"),
    ],
)
def test_a_child_is_still_found(engine: PolicyEngine, text: str, pupil: str) -> None:
    assert any(pupil in f.message for f in names(engine, text)), text


def test_a_family_friend_and_a_pet_are_no_pupils(engine: PolicyEngine) -> None:
    assert (
        names(engine, "We met Ava, a family friend of Mrs Clarke's, who came from Jamaica.") == []
    )
    assert names(engine, "Our reading dog is here. Zara is a three-year-old cockapoo.") == []
    assert names(engine, "Well done to Ava, a good friend to everyone!") != []


LATER_PUPILS = [
    (first, "Pupil", "", True)
    for first in (
        "Florin", "Joy", "Stanley", "Bear", "Major", "Marcus", "Hassan", "Nimco", "Frankie",
        "Rose", "Grace", "Mercy", "Blue", "Star", "Storm", "Gabriel", "Joseph", "Sunny", "Ruby",
        "Ivy", "Kemar", "Isaac",
    )
]  # fmt: skip


@pytest.fixture(scope="module")
def later_engine() -> PolicyEngine:
    return PolicyEngine(policy(), register(LATER_PUPILS))


@pytest.mark.parametrize(
    "text",
    [
        # (from the twelfth batch's clean posts) kin right after the comma
        "A big shout-out to Florin, dad of two of our pupils, who fixed every bench.",
        # a grown-up stays one when thanked later in the post
        "Our visiting author Joy ran a workshop with Y3 🖍️ Thank you Joy!",
        # a role after "our", with a word the lists do not know, or after an emoji
        "A massive thank you to Joy and Stanley, our lollipop heroes, for 12 years.",
        "Meet Bear 🐾 our new school therapy dog!",
        "A huge thank-you to Marcus, our Tuesday reading volunteer, for his time.",
        "Marcus is a retired bus driver from Peckham.",
        # ...and in the alt texts of the post that said so
        "Say hello to Major 🐶 our new school wellbeing dog! || Major wearing a blue bandana.",
        # grown-ups' groups and workplaces
        "Thank you to Hassan and Nimco from the parents' group, who cooked for 140 people.",
        "Ice lollies thanks to Frankie at the corner shop, who donated 60!",
        "Thank you to Rose from the allotments for the seedlings.",
        "Thank you to our amazing volunteers: Grace and Mercy, who ran the fair.",
        # no person at all: a team, how big the thanks are, a fixed phrase, a date
        "Well done, everyone – and Blue team, the cup is yours!",
        "Major thanks to the Y6 bakers 💛",
        "Star bakes so far: lemon drizzle and rocky road.",
        "Storm warning 🌬️ Strong winds are forecast for Thursday.",
        # the nativity's parts, listed after "as"
        "Y1 are already practising as Mary, Joseph and the Angel Gabriel 😇",
    ],
)
def test_later_grown_ups_and_words_are_no_pupils(later_engine: PolicyEngine, text: str) -> None:
    body, *alts = [part.strip() for part in text.split("||")]
    photos = [photo(alt=a) for a in alts] or [photo(alt="Children at work")]
    verdict = check(body, photos, declared=True, no_pupils=True, using=later_engine)
    assert found(verdict, "pupil-name-with-photo") == [], text


@pytest.mark.parametrize(
    ("text", "pupil"),
    [
        ("Well done to our Y6 volunteers: Grace and Mercy!", "Grace Pupil"),
        ("Our visiting author Joy read to us. Joy in Year 2 loved it.", "Joy Pupil"),
        ("Marcus, our star reader, read to the class.", "Marcus Pupil"),
        ("lettering by sunny and ruby ❤️", "Sunny Pupil"),
        ("and the Angel Gabriel is being played by… Gabriel!", "Gabriel Pupil"),
        ("starring Ivy as Mary, Kemar as Joseph and Crystal as the star", "Kemar Pupil"),
        ("After learning about Isaac Newton, Isaac in Y1 dropped an apple.", "Isaac Pupil"),
    ],
)
def test_a_later_child_is_still_found(later_engine: PolicyEngine, text: str, pupil: str) -> None:
    assert any(pupil in f.message for f in names(later_engine, text)), text


def test_a_child_playing_a_part_in_an_alt_text_is_found(later_engine: PolicyEngine) -> None:
    verdict = check(
        "Our Y1 nativity 🌟",
        [photo(alt="Ivy as Mary holding a baby doll beside a straw manger.")],
        declared=True,
        no_pupils=True,
        using=later_engine,
    )
    assert any("Ivy Pupil" in f.message for f in found(verdict, "pupil-name-with-photo"))


BATCH14_PUPILS = [
    (first, "Pupil", "", True)
    for first in (
        "Kwame", "Harpreet", "Iris", "Amber", "Chris", "David", "Zainab", "Amina", "Sandy",
        "Martin", "Jordan", "Frank", "Comfort", "Jesús", "Mercy",
    )
]  # fmt: skip


@pytest.fixture(scope="module")
def batch14_engine() -> PolicyEngine:
    return PolicyEngine(policy(), register(BATCH14_PUPILS))


@pytest.mark.parametrize(
    "text",
    [
        # (from the fourteenth batch's clean posts) kin in the plural, after a class
        "Kwame, one of our Y3 dads and a firefighter, brought in his helmet.",
        "Harpreet, one of the volunteers, explained why everyone sits together.",
        # a figure of myth, by what the sentence says it is
        "Zeus and Athena were favourites, but they loved that Iris was the goddess of the rainbow.",
        # where grown-ups come from: a service of two names, an organisation's initials
        "Big thank you to Chris and Amber from Merseyside Fire & Rescue at Speke!",
        "Jordan from the LSSP kept us on time.",
        # a fixed phrase, a river
        "Y3 learned about the menorah and the Star of David 🕎",
        "Their Harbour Bridge v our Mersey ferries 🌏",
        # with the mums, running a club, a role in brackets
        "Huge thank you to Zainab, Amina and the mums from our parents' group!",
        "Comfort will be running breakfast club from Monday.",
        "Today it was Frank (Y4 grandad, retired bus driver) reading to Rec.",
        # a week of the year is no award
        "This week Y3 learned about Holy Week – Jesus riding into Jerusalem.",
    ],
)
def test_batch14_grown_ups_and_words_are_no_pupils(batch14_engine: PolicyEngine, text: str) -> None:
    assert names(batch14_engine, text) == [], text


@pytest.mark.parametrize(
    ("text", "pupil"),
    [
        ("Amber is running in the cross country for Y4!", "Amber Pupil"),  # no club run
        ("Frank (Y4) won the spelling bee.", "Frank Pupil"),
        ("Star of the Week – Jordan for brilliant writing!", "Jordan Pupil"),
    ],
)
def test_batch14_children_are_still_found(
    batch14_engine: PolicyEngine, text: str, pupil: str
) -> None:
    assert any(pupil in f.message for f in names(batch14_engine, text)), text


BATCH15_PUPILS = [
    (first, "Pupil", "", True)
    for first in ("Ama", "Precious", "Nusrat", "Mary", "Harry", "George", "Will", "Ava")
]  # fmt: skip


@pytest.fixture(scope="module")
def batch15_engine() -> PolicyEngine:
    return PolicyEngine(policy(), register(BATCH15_PUPILS))


@pytest.mark.parametrize(
    "text",
    [
        # (from the fifteenth batch's clean posts) professions, and who runs a shop
        "Ama, a paramedic at the Royal London, Precious, who runs the pharmacy on the corner, "
        "and Nusrat, a civil engineer.",
        # the dog's owner; a team from a club
        "Meet Rex 🐶 our new reading dog! Thank you to Mary, his owner 💙",
        "Huge thanks to Harry and the team from Woolton Rotary Club.",
        # two first names before a surname no pupil has
        "We learnt how George and Richard Cadbury built Bournville.",
        # a character of the class novel, named with its cue
        "Our class novel is Wonder by R.J. Palacio – is Jack Will a good friend?",
    ],
)
def test_batch15_grown_ups_and_characters_are_no_pupils(
    batch15_engine: PolicyEngine, text: str
) -> None:
    assert names(batch15_engine, text) == [], text


def test_a_child_who_runs_the_tuck_shop_is_a_child(batch15_engine: PolicyEngine) -> None:
    assert any(
        "Ava Pupil" in f.message
        for f in names(batch15_engine, "Ava, who runs the tuck shop, raised £40")
    )
