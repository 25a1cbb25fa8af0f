"""Rules `pupil-name-with-photo` (block) and `pupil-name` (warn): a pupil's name in the post's
text, its hashtags or its photos' alt text. Which rule applies depends on whether the post has
photos: the policy forbids names alongside pictures of pupils.

Names appear in findings (staff see them) and never in logs.
"""

from __future__ import annotations

from collections.abc import Iterator

from chatbot.domain.findings import Finding
from chatbot.policy.model import RuleConfig
from chatbot.policy.names import CLOSE, SOUNDS_LIKE, NameMatch, NameMatcher
from chatbot.policy.rules import Post, located
from chatbot.policy.text import excerpt

_SHOWN = 3  # pupils named in one message; more are counted


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
        for where, analysis in post.texts():
            by_span: dict[tuple[int, int], list[NameMatch]] = {}
            for match in self.matcher.find(analysis):
                by_span.setdefault(match.span, []).append(match)
            for (start, end), matches in by_span.items():
                yield config.finding(
                    _message(matches, has_photos),
                    excerpt=located(where, excerpt(analysis.text, start, end)),
                )


def _message(matches: list[NameMatch], has_photos: bool) -> str:
    names = sorted({m.pupil.full_name for m in matches})
    shown = ", ".join(names[:_SHOWN])
    if len(names) > _SHOWN:
        shown += f" and {len(names) - _SHOWN} more"
    written = matches[0].matched
    how = matches[0].how
    if how == CLOSE:
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
