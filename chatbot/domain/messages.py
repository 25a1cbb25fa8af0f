"""What the bot tells people, without any platform's markup: a message is a row of parts.

The services compose messages from these parts; each chat adapter renders them in its own markup
(each adapter has one render module), so the core never writes a mention,
an escape or a bold marker itself. The types are small and meant to stay stable:

- `Text`: words as they are. Any characters at all: the renderer escapes what its markup needs.
- `Mention`: a person, by the chat platform's id for them (who the core knows as an `Actor`).
- `Emphasis`: words to stand out (shown bold, say).
- `Link`: a web address, with an optional label (without one, the address is shown).

Ports that send text take `Telling`: a `Message`, or a `str` meaning plain text (one `Text`).
`as_message` turns either into a `Message`, so a renderer has only one type to handle.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Text:
    text: str


@dataclass(frozen=True, slots=True)
class Mention:
    person_id: str


@dataclass(frozen=True, slots=True)
class Emphasis:
    text: str


@dataclass(frozen=True, slots=True)
class Link:
    url: str
    label: str = ""


Part = Text | Mention | Emphasis | Link


@dataclass(frozen=True, slots=True)
class Message:
    """A sequence of parts, read in order. Build one with `message(...)`."""

    parts: tuple[Part, ...] = ()

    def __add__(self, other: Message | str) -> Message:
        return Message(self.parts + as_message(other).parts)

    def __radd__(self, other: str) -> Message:
        return Message((Text(other), *self.parts))

    @property
    def plain(self) -> str:
        """The words without markup: a mention as its id, a link as its label or address."""
        return "".join(_plain(part) for part in self.parts)


Telling = Message | str


def message(*parts: Part | str) -> Message:
    """A message of `parts`, where a bare `str` is `Text`."""
    return Message(tuple(Text(p) if isinstance(p, str) else p for p in parts))


def as_message(telling: Telling) -> Message:
    """A `Message` for what a port was given (a `str` is plain text)."""
    return telling if isinstance(telling, Message) else Message((Text(telling),))


def joined(messages: Iterable[Telling], separator: str) -> Message:
    """The messages one after another, `separator` (plain text) between them."""
    parts: list[Part] = []
    for i, each in enumerate(messages):
        if i and separator:
            parts.append(Text(separator))
        parts.extend(as_message(each).parts)
    return Message(tuple(parts))


def _plain(part: Part) -> str:
    if isinstance(part, Mention):
        return part.person_id
    if isinstance(part, Link):
        return part.label or part.url
    return part.text
