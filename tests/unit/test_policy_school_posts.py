"""Posts a primary school really writes, through the whole engine with photos: ordinary school
English must pass untouched, and every pupil's name must block. The register holds names that
are also words, months, seasons and people in history."""

from __future__ import annotations

from functools import cache

import pytest

from chatbot.policy.engine import PolicyEngine
from tests.unit.policy_support import check, photo, policy, register

TRICKY_NAMES = (
    "May", "June", "April", "Summer", "Grace", "Will", "Hope", "Roman", "Leo", "Mary", "Ruby",
    "Noah", "Harry", "Florence", "William", "Jack", "Holly", "Rose", "Isla", "Zoë", "Oliver",
)  # fmt: skip


@cache
def tricky() -> PolicyEngine:
    pupils = [(first, "Brown", "", True) for first in TRICKY_NAMES]
    return PolicyEngine(policy(), register(pupils), ("Sarah Whitfield",))


ORDINARY = [
    "What a fantastic Sports Day! Thank you to all the families who came to cheer. #HuntsCrossPri",
    "Year 6 have worked so hard for their SATs this week. We are very proud of them all!",
    "Reception's nativity was magical: our Mary and Joseph were wonderful. 🌟",
    "PE with Mr Smith today: Year 3 practised their throwing and catching skills.",
    "Happy World Book Day! Look at all our wonderful costumes. 📚 #WorldBookDay",
    "Our Christmas Fair is on Fri 12th Dec from 3.15pm. Tickets £2: https://example.org/fair",
    "Thank you for your Harvest Festival donations. They will go to the food bank in Woolton.",
    "EYFS have been exploring autumn leaves in the forest school area.",
    "Year 4 had a brilliant trip to Chester Zoo today. The elephants were a big hit!",
    "Y6 enjoyed their residential at Colomendy. What an adventure!",
    "KS1 sang beautifully at the Harvest Festival assembly this morning.",
    "SATs start on Monday 11th May. Good luck, Year 6!",
    "Sports day is on 5th June at 1.30pm; see you all in June.",
    "Welcome back to the Summer term! Tickets for the Summer fair go on sale in April.",
    "Will you join us for our Christmas concert on Thursday 18th December?",
    "Will parents please check that his or her coat is named.",
    "Our walk went along Hope Street to the cathedral.",
    "Year 1 read Noah's Ark at St Mary's church.",
    "Year 2 learned about Florence Nightingale and Mary Seacole.",
    "Year 4 are learning about the Romans and built a Lego fort.",
    "Year 5 wrote a program in Scratch to make a sprite dance.",
    "Please bring wellies for Forest School on Weds. Nans and grandads welcome!",
    "Gates open at 8.40am, i.e. before the bell. Bring coats, hats etc.",
    "Y1 and Y2 visited Calderstones Park to look for signs of autumn.",
    "Our PTA raised £1,250 at the summer fair. Thank you to everyone who helped!",
    "Thank you Mrs Patel and Mr Brown for a lovely assembly.",
    "Sarah Whitfield, our Headteacher, welcomed the Lord Mayor.",
    "Happy Diwali to all our families celebrating the festival of light. 🪔",
    "Holly and ivy decorations made by Year 1 for the Christmas fair.",
    "Summer is here at last. Have a lovely Summer half-term, everyone!",
    "Year 5 visited the museums on William Brown Street.",
    "Year 6 are off to Robinwood tomorrow. Have fun!",
    "Ruby Wedding celebrations for our lollipop lady! Holly decorations for the fair.",
]


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_school_posts_with_photos_pass(text: str) -> None:
    verdict = check(text, [photo()], declared=True, no_pupils=True, using=tricky())
    assert verdict.outcome == "pass", verdict.as_dict()


NAMING = [
    "Well done to Zoe for her certificate!",
    "Star of the week: Summer! Well done.",
    "Grace and Will helped tidy the garden today.",
    "Summer won the egg and spoon race.",
    "Stars of the week:\nHolly\nRose",
    "Congratulations to Isla and Oliver on their swimming awards.",
    "Thank you to Hope for her lovely poem.",
    "Great work from Zoey today.",
    "A brilliant story from Leo in Year 3 #WellDoneLeo",
    "Well done to May for her poem.",
]
ALT_TEXTS = ["Will scoring a goal", "Grace reading to the class", "Holly holding her certificate"]


@pytest.mark.parametrize("text", NAMING)
def test_a_pupils_name_beside_photos_blocks(text: str) -> None:
    verdict = check(text, [photo()], declared=True, no_pupils=True, using=tricky())
    assert verdict.outcome == "block", text
    assert {f.rule for f in verdict.blocking} == {"pupil-name-with-photo"}, verdict.as_dict()


@pytest.mark.parametrize("alt", ALT_TEXTS)
def test_a_pupils_name_in_alt_text_blocks(alt: str) -> None:
    verdict = check("Sports day.", [photo(alt=alt)], declared=True, no_pupils=True, using=tricky())
    assert {f.rule for f in verdict.blocking} == {"pupil-name-with-photo"}, alt


def test_ordinary_alt_text_passes() -> None:
    alts = ["Summer flowers growing in the garden", "Rose bushes by the gate", "Will it rain?"]
    photos = [photo(alt=alt) for alt in alts]
    verdict = check("Our garden.", photos, declared=True, no_pupils=True, using=tricky())
    assert verdict.outcome == "pass", verdict.as_dict()
