"""Rules `pupil-name-with-photo` (block) and `pupil-name` (warn): a pupil's name in the post's
text, its hashtags or its photos' alt text. Which rule applies depends on whether the post has
photos: the policy forbids names alongside pictures of pupils.

A name the engine is unsure of becomes a question for the author ("Is 'Frank' here one of our
pupils?"). Until it is answered it counts as a name; "someone else" removes it, "a pupil" makes
it certain. The question's key names the words and the sentence they stand in, so an edit of
that sentence asks again.

Names appear in findings (staff see them) and never in logs.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import replace

from chatbot.domain.findings import Finding
from chatbot.domain.folding import fold
from chatbot.policy.model import RuleConfig
from chatbot.policy.names import CLOSE, SOUNDS_LIKE, NameMatch, NameMatcher
from chatbot.policy.rules import Post, located
from chatbot.policy.text import excerpt

_SHOWN = 3  # pupils named in one message; more are counted
_SENTENCE_ENDS = ".!?\n"


class PupilNameCheck:
    def __init__(
        self, with_photo: RuleConfig, without_photo: RuleConfig, matcher: NameMatcher
    ) -> None:
        self.with_photo = with_photo
        self.without_photo = without_photo
        self.matcher = matcher

    def check(self, post: Post) -> Iterator[Finding]:
        has_photos = bool(post.content.photos)
        config = self.with_photo if has_photos else self.without_photo
        if not config.enabled:
            return
        answers = post.content.name_answers
        texts = post.texts()
        found = self.matcher.find_in_post([analysis for _, analysis in texts])
        for (where, analysis), matches_here in zip(texts, found, strict=True):
            by_span: dict[tuple[int, int], list[NameMatch]] = {}
            for match in matches_here:
                by_span.setdefault(match.span, []).append(match)
            for (start, end), matches in by_span.items():
                question = ""
                if all(m.unsure for m in matches):
                    question = question_key(where, analysis.text, start, end)
                    if answers.get(question) is False:
                        continue  # the author or SLT said: someone else
                    if answers.get(question):
                        question = ""  # confirmed as a pupil: a name like any other
                finding = config.finding(
                    _message(matches, has_photos, unsure=bool(question)),
                    excerpt=located(where, excerpt(analysis.text, start, end)),
                )
                if question:
                    yield replace(finding, question=question, subject=matches[0].matched)
                else:
                    yield finding


def question_key(where: str, text: str, start: int, end: int) -> str:
    """A stable id of "these words in this sentence": the same after a re-check, different
    once the sentence is edited."""
    left = max((text.rfind(c, 0, start) for c in _SENTENCE_ENDS), default=-1) + 1
    rights = [i for c in _SENTENCE_ENDS if (i := text.find(c, end)) >= 0]
    sentence = " ".join(fold(text[left : min(rights, default=len(text))]).split())
    seed = "\x1f".join((where, fold(text[start:end]), str(start - left), sentence))
    return hashlib.sha256(seed.encode()).hexdigest()[:20]


def _message(matches: list[NameMatch], has_photos: bool, *, unsure: bool = False) -> str:
    names = sorted({m.pupil.full_name for m in matches})
    shown = ", ".join(names[:_SHOWN])
    if len(names) > _SHOWN:
        shown += f" and {len(names) - _SHOWN} more"
    written = matches[0].matched
    how = matches[0].how
    if unsure:
        what = (
            f"“{written}” may be a pupil on the register ({shown}), or someone or something "
            "else: please say which."
        )
    elif how == CLOSE:
        what = f"“{written}” is very close to the name of a pupil on the register ({shown})."
    elif how == SOUNDS_LIKE:
        what = f"“{written}” sounds like the name of a pupil on the register ({shown})."
    else:
        what = f"“{written}” is the {how} of a pupil on the register ({shown})."
    if has_photos:
        return (
            f"{what} The policy says no pupils' names alongside pictures: take the name out "
            "(say “a Year 4 pupil” or “our class”) or post it without the photos."
        )
    return (
        f"{what} Check that naming this pupil is really needed and that the family agrees; "
        "never add photos to a post that names a pupil."
    )
