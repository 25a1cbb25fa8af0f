"""The photo rules: `photo-undeclared`, `photo-consent`, `faces-undeclared`, `alt-text`,
`photo-count` and `photo-format`.
"""

from __future__ import annotations

from collections.abc import Iterator

from chatbot.domain.academic_year import AcademicYear
from chatbot.domain.findings import Finding
from chatbot.domain.pupils import Register
from chatbot.policy.model import PhotoCountRule, RuleConfig
from chatbot.policy.rules import Post


def _photo(n: int, filename: str) -> str:
    return f"Photo {n} ({filename})" if filename else f"Photo {n}"


class PhotoUndeclaredCheck:
    def __init__(self, config: RuleConfig) -> None:
        self.config = config

    def check(self, post: Post) -> Iterator[Finding]:
        if post.content.photos and not post.content.declared:
            yield self.config.finding(
                "Say who is in the photos before this goes for approval: pick each pupil shown, "
                "or say that no pupils are shown."
            )


class PhotoConsentCheck:
    """Every pictured pupil needs Twitter consent for the academic year of the post's date;
    a child off this year's register, or on no register at all, has none."""

    def __init__(self, config: RuleConfig, register: Register) -> None:
        self.config = config
        self.register = register

    def check(self, post: Post) -> Iterator[Finding]:
        content = post.content
        year = AcademicYear.of(content.post_date)
        pupils = content.pictured or content.pictured_off_register
        if pupils and (self.register.academic_year != year or not self.register.entries):
            # Consent is asked each year: last year's answers end on 31 August.
            day = content.post_date
            yield self.config.finding(
                f"There is no register for {year} yet, so nobody has Twitter consent for a post "
                f"on {day.day} {day:%B %Y} (consent is asked each school year; last year's "
                f"answers ended on 31 August). Import the {year} register with its consent "
                "answers first.",
                excerpt=", ".join(content.pictured),
            )
        else:
            yield from self._pupils(content.pictured, content.pictured_consent, year)
            if content.pictured_off_register:
                yield self._off_register(content.pictured_off_register, year)
        if content.unregistered_pictured:
            yield self.config.finding(
                "A pictured child is not on the register, so there is no Twitter consent for "
                "them. Take out the photos showing this child."
            )

    def _pupils(
        self, names: tuple[str, ...], consents: tuple[bool, ...] | None, year: AcademicYear
    ) -> Iterator[Finding]:
        if consents is not None:  # known by id: same-name pupils are told apart
            for name, given in zip(names, consents, strict=True):
                if not given:
                    yield self._no_consent(name, year)
            return
        for name in names:
            entry = self.register.find(name)
            if entry is None:
                yield self.config.finding(
                    f"“{name}” is not on the register for {year}, so there is no Twitter consent. "
                    "Check the spelling against the register, or take out the photos showing "
                    "this pupil.",
                    excerpt=name,
                )
            elif not entry.twitter_consent:
                yield self._no_consent(entry.pupil.full_name, year, excerpt=name)

    def _no_consent(self, name: str, year: AcademicYear, *, excerpt: str = "") -> Finding:
        return self.config.finding(
            f"{name} does not have Twitter consent for {year} (website consent does not "
            "count). Take out the photos showing this pupil.",
            excerpt=excerpt or name,
        )

    def _off_register(self, count: int, year: AcademicYear) -> Finding:
        # No names: the pupils were chosen from an earlier register, and the finding is enough.
        who = "A pictured child is" if count == 1 else f"{count} pictured children are"
        return self.config.finding(
            f"{who} not on this year's register (no consent): consent is given for each school "
            f"year, and there is none for {year}. Take out the photos showing "
            f"{'this child' if count == 1 else 'them'}."
        )


class FacesUndeclaredCheck:
    def __init__(self, config: RuleConfig) -> None:
        self.config = config

    def check(self, post: Post) -> Iterator[Finding]:
        content = post.content
        if not (content.declared and content.no_pupils):
            return
        for n, photo in enumerate(content.photos, start=1):
            if photo.face_count:
                faces = "a face" if photo.face_count == 1 else f"{photo.face_count} faces"
                yield self.config.finding(
                    f"{_photo(n, photo.filename)} seems to show {faces}, but the photos were "
                    "declared as showing no pupils. Look again; if pupils are in it, declare them.",
                    excerpt=photo.filename,
                )


class AltTextCheck:
    def __init__(self, config: RuleConfig) -> None:
        self.config = config

    def check(self, post: Post) -> Iterator[Finding]:
        for n, photo in enumerate(post.content.photos, start=1):
            if photo.problem is None and not photo.alt_text.strip():
                yield self.config.finding(
                    f"{_photo(n, photo.filename)} has no description (alt text). Add one so "
                    "families using screen readers can share the news: describe the scene, "
                    "without names.",
                    excerpt=photo.filename,
                )


class PhotoCountCheck:
    def __init__(self, config: PhotoCountRule) -> None:
        self.config = config

    def check(self, post: Post) -> Iterator[Finding]:
        count = len(post.content.photos)
        limit = self.config.max_photos
        if count > limit:
            yield self.config.finding(
                f"The post has {count} photos; X takes at most {limit}. Remove {count - limit}, "
                "or split the news into two posts."
            )


class PhotoFormatCheck:
    def __init__(self, config: RuleConfig) -> None:
        self.config = config

    def check(self, post: Post) -> Iterator[Finding]:
        for n, photo in enumerate(post.content.photos, start=1):
            if photo.problem:
                yield self.config.finding(
                    f"{_photo(n, photo.filename)}: {photo.problem}", excerpt=photo.filename
                )
