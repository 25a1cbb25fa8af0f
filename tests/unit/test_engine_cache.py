"""The checks reuse a built policy engine, but never with an out-of-date register."""

from __future__ import annotations

from chatbot.services.checking import _EngineCache
from tests.unit.policy_support import PUPILS, STAFF, check, photo, policy, register


def test_the_same_register_reuses_the_engine() -> None:
    cache = _EngineCache()
    first = cache.get(policy(), register(), STAFF)
    # read again from the store: equal content, a different object
    assert cache.get(policy(), register(), list(STAFF)) is first


def test_a_new_pupil_or_a_consent_change_is_seen_at_once() -> None:
    cache = _EngineCache()
    before = cache.get(policy(), register(), STAFF)
    text = "Well done to Ezekiel Thornbury for his painting!"
    assert not check(text, [photo()], declared=True, no_pupils=True, using=before).blocking

    joined = register([*PUPILS, ("Ezekiel", "Thornbury", "", True)])
    after = cache.get(policy(), joined, STAFF)
    assert after is not before
    verdict = check(text, [photo()], declared=True, no_pupils=True, using=after)
    assert [f.rule for f in verdict.blocking] == ["pupil-name-with-photo"]

    # Grace has no consent; once it is given, the engine is rebuilt with it.
    consented = register([(f, last, p, True) for f, last, p, _ in PUPILS])
    pictured = check("Art", [photo()], declared=True, pictured=["Grace Lindqvist"], using=before)
    assert [f.rule for f in pictured.blocking] == ["photo-consent"]
    now_ok = cache.get(policy(), consented, STAFF)
    assert not check(
        "Art", [photo()], declared=True, pictured=["Grace Lindqvist"], using=now_ok
    ).blocking


def test_the_cache_stays_small() -> None:
    cache = _EngineCache(size=2)
    engines = [
        cache.get(policy(), register([*PUPILS, (f"Extra{n}", "Pupil", "", True)]), STAFF)
        for n in range(3)
    ]
    assert len(cache._engines) == 2
    assert (
        cache.get(policy(), register([*PUPILS, ("Extra2", "Pupil", "", True)]), STAFF)
        is (engines[2])
    )
