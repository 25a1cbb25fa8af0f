"""The parsed dictionary is cached in the user's cache directory; a bad cache is never trusted."""

from __future__ import annotations

from pathlib import Path

import pytest

from chatbot.policy.dictionary import Dictionary, default_dictionary_path


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CHATBOT_CACHE_DIR", str(tmp_path))
    return tmp_path / "dictionaries"


def test_first_load_writes_the_cache_and_the_next_reads_it(cache_dir: Path) -> None:
    first = Dictionary(default_dictionary_path())
    [cached] = cache_dir.glob("en_GB-*.pickle")
    written = cached.stat().st_mtime_ns
    second = Dictionary(default_dictionary_path())
    assert cached.stat().st_mtime_ns == written  # read, not rewritten
    for dictionary in (first, second):
        assert dictionary.knows("colour")
        assert not dictionary.knows("color")


def test_a_corrupt_cache_is_replaced(cache_dir: Path) -> None:
    Dictionary(default_dictionary_path())
    [cached] = cache_dir.glob("en_GB-*.pickle")
    cached.write_bytes(b"not a pickle")
    dictionary = Dictionary(default_dictionary_path())
    assert dictionary.knows("favourite")
    assert cached.read_bytes() != b"not a pickle"


def test_an_unwritable_cache_still_loads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache directory would go")
    monkeypatch.setenv("CHATBOT_CACHE_DIR", str(blocker))
    assert Dictionary(default_dictionary_path()).knows("organise")


def test_the_compact_store_answers_as_spylls_itself_does(cache_dir: Path) -> None:
    """Words are kept as tuples and made into spylls' objects on demand: every answer, for
    stems, their forms, names, capitals, compounds and slips, must be spylls' own."""
    from spylls.hunspell import Dictionary as Hunspell

    path = default_dictionary_path()
    spylls = Hunspell.from_files(str(path))
    Dictionary(path)  # writes the compact cache
    ours = Dictionary(path)  # and reads it back
    stems = [w.stem for w in spylls.dic.words[1:60_000:37]]
    probes = [
        *stems,
        *(s.upper() for s in stems[:300]),
        *(s.capitalize() for s in stems[:300]),
        *(s + "s" for s in stems[:300]),
        *(s + "ing" for s in stems[:200]),
        "colour", "color", "Paris", "paris", "organise", "organize", "Thier", "recieve",
        "well-being", "twenty-one", "Mrs", "NHS", "o'clock", "Grace", "grace", "Olivai",
    ]  # fmt: skip
    differ = [w for w in probes if ours.knows(w) != bool(spylls.lookup(w))]
    assert not differ, differ[:10]
    assert len(probes) > 2500
    for slip in ("recieve", "beleive", "freind", "becuase", "wich"):
        assert ours._edits(slip) == [
            s.text
            for s in spylls.suggester.edit_suggestions(
                slip, lambda s: iter([s]), compounds=False, limit=15
            )
        ]
