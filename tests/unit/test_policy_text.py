"""Taking a post's text apart: links, handles, hashtags, words and sentence starts."""

from __future__ import annotations

import pytest
import twitter_text

from chatbot.domain.folding import fold
from chatbot.policy import text as text_module
from chatbot.policy.text import TextAnalysis, unleet


def test_links_handles_and_hashtags_with_offsets() -> None:
    text = "Thanks @NSPCC! See www.bbc.co.uk/news and https://x.org/a#b #WellDone #1"
    analysis = TextAnalysis(text)
    assert [u.text for u in analysis.urls] == ["www.bbc.co.uk/news", "https://x.org/a#b"]
    assert [m.text for m in analysis.mentions] == ["NSPCC"]
    assert [h.text for h in analysis.hashtags] == ["WellDone"]
    for span in (*analysis.urls, *analysis.hashtags):
        assert span.text in text[span.start : span.end]
    assert "bbc" not in [w.text for w in analysis.words]


def test_camel_case_hashtags_split_into_words() -> None:
    analysis = TextAnalysis("#WellDoneZoeKS2 #PE")
    assert [w.text for w in analysis.hashtag_words] == ["Well", "Done", "Zoe", "KS", "PE"]
    assert [p for _, p in analysis.hashtag_phrases] == ["Well Done Zoe KS", "PE"]


def test_sentence_starts() -> None:
    analysis = TextAnalysis("Summer is here. Grace: Will\n• Ruby")
    starts = {w.text: w.sentence_start for w in analysis.words}
    assert starts == {
        "Summer": True,
        "is": False,
        "here": False,
        "Grace": True,
        "Will": False,
        "Ruby": False,
    }


def test_fold_and_unleet() -> None:
    assert fold("ZOË") == fold("zoe") == "zoe"
    assert unleet("sh1t") == "shit"
    assert unleet("$h!t") == "shit"
    assert unleet("2026") == "2026"  # numbers stay numbers


def test_long_dotted_runs_never_reach_twitter_texts_slow_pattern(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # twitter-text's URL pattern is quadratic on "s.s.s.s...": 5,000 of them took minutes.
    lengths: list[int] = []
    original = twitter_text.extract_urls_with_indices

    def spy(text: str) -> list[dict[str, object]]:
        lengths.append(len(text))
        return original(text)  # type: ignore[no-any-return]

    monkeypatch.setattr(twitter_text, "extract_urls_with_indices", spy)
    long_link = "https://example.org/" + "a." * 399 + "a"
    analysis = TextAnalysis("s." * 5000 + f" see {long_link} and bbc.co.uk.")
    assert lengths  # the short chunk that may be a link was looked at...
    assert max(lengths) <= text_module._URL_CHUNK_MAX  # ...and nothing long
    assert [u.text for u in analysis.urls] == [long_link, "bbc.co.uk"]
