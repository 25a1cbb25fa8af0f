"""English school years: 1 September to 31 August, written like ``2026/27``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from chatbot.domain.london import LONDON

__all__ = ["LONDON", "AcademicYear"]
_FORMAT = re.compile(r"^(\d{4})/(\d{2})$")


@dataclass(frozen=True, order=True, slots=True)
class AcademicYear:
    start: int  # the calendar year in which it begins in September

    @classmethod
    def parse(cls, text: str) -> AcademicYear:
        match = _FORMAT.match(text.strip())
        if not match:
            raise ValueError(f"{text!r} is not an academic year; write it like 2026/27")
        start, end = int(match.group(1)), int(match.group(2))
        if (start + 1) % 100 != end:
            raise ValueError(
                f"{text!r} is not an academic year: {start}/ is followed by "
                f"{(start + 1) % 100:02d}, as in {start}/{(start + 1) % 100:02d}"
            )
        return cls(start)

    @classmethod
    def of(cls, day: date) -> AcademicYear:
        return cls(day.year if day.month >= 9 else day.year - 1)

    @classmethod
    def at(cls, moment: datetime) -> AcademicYear:
        """The academic year at an instant, as the day is in London."""
        return cls.of(moment.astimezone(LONDON).date())

    @property
    def last_day(self) -> date:
        return date(self.start + 1, 8, 31)

    def __str__(self) -> str:
        return f"{self.start}/{(self.start + 1) % 100:02d}"
