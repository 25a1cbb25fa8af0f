"""The British English dictionary (Hunspell files read by spylls), loaded once per process.

Parsing the files takes about a second, so it happens once per machine: the result is kept in the
user's cache directory in a compact form (hunspell_store.py) that a process loads in ~50 ms, on
first use, shared by every engine and name matcher. Word look-ups are cached because posts repeat
the same words.
"""

from __future__ import annotations

import gc
import hashlib
import logging
import os
import pickle
import tempfile
import threading
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING

import platformdirs

from chatbot.policy.hunspell_store import STORE_FORMAT, StoredHunspell
from chatbot.resources import policies_dir

if TYPE_CHECKING:
    from chatbot.policy.suggestions import Suggester

_LOCK = threading.Lock()
_FALLBACK_EDITS = 15  # spylls' edits stop after this many words; they are ranked afterwards
log = logging.getLogger(__name__)


def default_dictionary_path() -> Path:
    return policies_dir() / "dictionaries" / "en_GB"


class Dictionary:
    """Spelling look-ups and suggestions against one Hunspell dictionary."""

    def __init__(self, path: Path) -> None:
        self.path = path
        # ~100k small objects: the cyclic GC would scan them over and over while they load
        # (a third of the load time), and again in every later collection, hence freeze().
        enabled = gc.isenabled()
        gc.disable()
        try:
            self._hunspell = _load_cached(path) or _parse_and_cache(path)
        finally:
            if enabled:
                gc.enable()
        gc.freeze()
        self.knows = lru_cache(maxsize=50_000)(self._knows)
        self.suggest = lru_cache(maxsize=2_000)(self._suggest)
        self._suggester: Suggester | None = None

    def _knows(self, word: str) -> bool:
        return bool(self._hunspell.lookup(word))

    def _suggest(self, word: str) -> str | None:
        """The likeliest intended word, or None when nothing is close (ranked in suggestions.py)."""
        return next(iter(self.suggestions(word, limit=1)), None)

    def suggestions(self, word: str, limit: int = 3) -> list[str]:
        """Up to `limit` likely intended words, best first."""
        if self._suggester is None:  # built on the first misspelling: clean posts never pay
            from chatbot.policy.suggestions import Suggester

            aff = self._hunspell.aff
            self._suggester = Suggester(
                lru_cache(maxsize=50_000)(self._suggestable),
                rep=[(r.pattern, r.replacement) for r in aff.REP],
                keyboard=aff.KEY or "qwertyuiop|asdfghjkl|zxcvbnm",
                fallback=self._edits,
            )
        return self._suggester.suggestions(word, limit)

    def _suggestable(self, word: str) -> bool:
        """The word exactly as cased is in the dictionary and not marked NOSUGGEST (rude words)."""
        lookup = self._hunspell.lookuper
        return any(lookup.good_forms(word, capitalization=False, allow_nosuggest=False))

    def _edits(self, word: str) -> list[str]:
        """spylls' edit-based suggestions (REP, swaps, keys, letters), without its slow n-grams."""
        found = self._hunspell.suggester.edit_suggestions(
            word, lambda s: iter([s]), compounds=False, limit=_FALLBACK_EDITS
        )
        return [s.text for s in found]

    def is_ordinary_word(self, word: str) -> bool:
        """True when the word exists in lower case (summer, grace, will), not only as a name."""
        lower = word.lower()
        return self.knows(lower)


@lru_cache(maxsize=4)
def _load(path: Path) -> Dictionary:
    return Dictionary(path)


def load_dictionary(path: Path | None = None) -> Dictionary:
    """The shared dictionary for `path` (default: the en_GB files in policies/dictionaries)."""
    with _LOCK:  # two threads asking at once should not load it twice
        return _load((path or default_dictionary_path()).resolve())


# -- a parsed copy in the user's cache: loading it takes a twentieth of the time of parsing -------


def _cache_file(path: Path) -> Path | None:
    """Where the parsed dictionary for these exact files and this spylls version is kept."""
    digest = hashlib.sha256(f"{version('spylls')} {STORE_FORMAT}".encode())
    try:
        for suffix in (".aff", ".dic"):
            digest.update(path.with_suffix(suffix).read_bytes())
    except OSError:
        return None  # spylls will say what is missing
    cache = Path(os.environ.get("CHATBOT_CACHE_DIR") or platformdirs.user_cache_dir("chatbot"))
    return cache / "dictionaries" / f"{path.name}-{digest.hexdigest()[:20]}.pickle"


def _load_cached(path: Path) -> StoredHunspell | None:
    cached = _cache_file(path)
    if cached is None or not cached.is_file():
        return None
    try:
        # Only a file this program wrote into the user's own cache directory is unpickled.
        return StoredHunspell.from_state(pickle.loads(cached.read_bytes()))  # noqa: S301
    except Exception:  # a torn or foreign file: parse again and overwrite it
        log.warning("ignoring an unreadable dictionary cache at %s", cached)
        return None


def _parse_and_cache(path: Path) -> StoredHunspell:
    from spylls.hunspell import Dictionary as Hunspell

    parsed = StoredHunspell.from_spylls(Hunspell.from_files(str(path)))
    cached = _cache_file(path)
    if cached is None:
        return parsed
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        # Written aside and renamed, so a reader never sees half a file.
        with tempfile.NamedTemporaryFile(dir=cached.parent, delete=False) as out:
            pickle.dump(parsed.to_state(), out, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(out.name, cached)
    except OSError as exc:  # a read-only home: the cache is only a speed-up
        log.info("cannot cache the parsed dictionary (%s)", exc.strerror or exc)
    return parsed
