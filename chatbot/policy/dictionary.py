"""The British English dictionary (Hunspell files read by spylls), loaded once per process.

Loading takes about half a second, so it happens on first use and is shared by every engine and
name matcher; word lookups are cached because posts repeat the same words.
"""

from __future__ import annotations

import gc
import threading
from functools import lru_cache
from pathlib import Path

from chatbot.resources import policies_dir

_LOCK = threading.Lock()


def default_dictionary_path() -> Path:
    return policies_dir() / "dictionaries" / "en_GB"


class Dictionary:
    """Spelling look-ups and suggestions against one Hunspell dictionary."""

    def __init__(self, path: Path) -> None:
        from spylls.hunspell import Dictionary as Hunspell

        self.path = path
        # ~100k small objects: the cyclic GC would scan them over and over while they load
        # (a third of the load time), and again in every later collection, hence freeze().
        enabled = gc.isenabled()
        gc.disable()
        try:
            self._hunspell = Hunspell.from_files(str(path))
        finally:
            if enabled:
                gc.enable()
        gc.freeze()
        self.knows = lru_cache(maxsize=50_000)(self._knows)
        self.suggest = lru_cache(maxsize=2_000)(self._suggest)

    def _knows(self, word: str) -> bool:
        return bool(self._hunspell.lookup(word))

    def _suggest(self, word: str) -> str | None:
        """The dictionary's first suggestion (the first is found quickly, the rest are slow)."""
        return next(iter(self._hunspell.suggest(word)), None)

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
