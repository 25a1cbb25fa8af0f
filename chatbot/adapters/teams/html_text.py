"""Teams message HTML -> the plain text that will be posted.

Teams sends a message's ``text`` as HTML (``textFormat`` ``xml``/``html``). What a member of
staff typed is what goes to X, so: tags removed, entities decoded, ``&nbsp;`` a space,
paragraphs, ``<div>`` and ``<br>`` line breaks, lists as ``- item`` / ``1. item`` lines, the
bot's own ``<at>`` mention dropped (other people's mentions keep their name), an emoji image its
``alt`` text, other inline images dropped (photos arrive as attachments). Parsed with
BeautifulSoup's HTML parser, never regular expressions over markup.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping
from typing import Any

import emoji
from bs4 import BeautifulSoup
from bs4.element import Comment, Doctype, NavigableString, ProcessingInstruction, Tag

_BLOCKS = frozenset(
    {
        "p",
        "div",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "pre",
        "table",
        "tr",
        "section",
        "article",
        "header",
        "footer",
        "hr",
    }
)
_DROPPED = frozenset({"script", "style", "head", "title", "template", "noscript"})
_WHITESPACE = re.compile(r"[ \t\r\n\f\v]+")  # HTML whitespace: not U+00A0, which is &nbsp;
_MANY_BLANK_LINES = re.compile(r"\n{3,}")


def bot_mention_names(entities: Iterable[Mapping[str, Any]] | None, bot_id: str) -> set[str]:
    """The names Teams shows in ``<at>`` for mentions of the bot, from the activity's entities."""
    names: set[str] = set()
    for entity in entities or ():
        if entity.get("type") != "mention":
            continue
        mentioned = entity.get("mentioned") or {}
        if not isinstance(mentioned, Mapping) or mentioned.get("id") != bot_id:
            continue
        text = entity.get("text")
        if isinstance(text, str):
            inner = BeautifulSoup(text, "html.parser").get_text()
            names.add(_squash(inner))
        name = mentioned.get("name")
        if isinstance(name, str):
            names.add(_squash(name))
    names.discard("")
    return names


def teams_html_to_text(html: str, *, bot_names: Collection[str] = ()) -> str:
    """The text of a Teams message, as it will be posted (see the module's docstring)."""
    soup = BeautifulSoup(html, "html.parser")
    writer = _Writer({_squash(n).casefold() for n in bot_names})
    writer.walk(soup)
    return writer.result()


def _squash(text: str) -> str:
    return _WHITESPACE.sub(" ", text).replace("\xa0", " ").strip()


class _Writer:
    """Walks the tree once, writing inline text into the current line and breaking at blocks."""

    def __init__(self, bot_names: set[str]) -> None:
        self._bot_names = bot_names
        self._lines: list[str] = []
        self._line = ""
        self._pre = 0
        self._lists: list[list[Any]] = []  # one [kind, counter] per open <ul>/<ol>
        self._marker: str | None = None  # a list item's marker, while nothing follows it

    # -- writing -------------------------------------------------------------------------

    def _text(self, text: str) -> None:
        if text.strip():
            self._marker = None
        if not self._pre:
            text = _WHITESPACE.sub(" ", text)
            if not self._line.strip() or self._line.endswith(" "):
                text = text.lstrip(" ")
        self._line += text

    def _break(self) -> None:
        self._lines.append(self._line)
        self._line = ""

    def _block_edge(self) -> None:
        # A block starts and ends on a line of its own; empty lines are kept only as written.
        if self._marker is not None and self._line == self._marker:
            return  # <li><p>item</p></li>: the item's text follows its marker
        if self._line.strip():
            self._break()
        else:
            self._line = ""

    def result(self) -> str:
        if self._line:
            self._break()
        lines = [line.replace("\xa0", " ").rstrip() for line in self._lines]
        text = "\n".join(lines)
        return _MANY_BLANK_LINES.sub("\n\n", text).strip("\n").strip()

    # -- the tree ------------------------------------------------------------------------

    def walk(self, node: Tag) -> None:
        for child in node.children:
            if isinstance(child, Comment | Doctype | ProcessingInstruction):
                continue
            if isinstance(child, NavigableString):
                self._text(str(child))
            elif isinstance(child, Tag):
                self._element(child)

    def _element(self, tag: Tag) -> None:
        name = tag.name.lower()
        if name in _DROPPED:
            return
        if name == "br":
            self._break()
        elif name == "at":
            self._mention(tag)
        elif name == "img":
            self._image(tag)
        elif name in ("ul", "ol"):
            self._list(tag, name)
        elif name == "li":
            self._item(tag)
        elif name == "a":
            self._link(tag)
        elif name == "p":
            self._paragraph(tag)
        elif name in _BLOCKS:
            self._block_edge()
            self._pre += name == "pre"
            self.walk(tag)
            self._pre -= name == "pre"
            self._block_edge()
        elif name in ("td", "th"):
            if self._line.strip():
                self._text(" ")
            self.walk(tag)
        else:
            self.walk(tag)

    def _paragraph(self, tag: Tag) -> None:
        self._block_edge()
        before = len(self._lines)
        self.walk(tag)
        if not self._line.strip() and len(self._lines) == before and self._marker is None:
            # An empty paragraph (<p>&nbsp;</p>) is how Teams writes a blank line.
            self._line = ""
            self._break()
        self._block_edge()

    def _mention(self, tag: Tag) -> None:
        name = _squash(tag.get_text())
        if name.casefold() in self._bot_names:
            return
        self._text(name)

    def _image(self, tag: Tag) -> None:
        alt = tag.get("alt")
        alt = alt if isinstance(alt, str) else ""
        itemtype = tag.get("itemtype")
        is_emoji = isinstance(itemtype, str) and itemtype.rstrip("/").endswith("/Emoji")
        if alt and (is_emoji or emoji.purely_emoji(alt)):
            self._text(alt)

    def _link(self, tag: Tag) -> None:
        text = _squash(tag.get_text())
        href = tag.get("href")
        href = href.strip() if isinstance(href, str) else ""
        self.walk(tag)
        # A link whose words differ from its address would lose the address on X.
        if href.startswith(("http://", "https://")) and text and _norm_url(text) != _norm_url(href):
            self._text(f" ({href})")

    def _list(self, tag: Tag, kind: str) -> None:
        self._block_edge()
        start = tag.get("start")
        first = int(start) if isinstance(start, str) and start.isdigit() else 1
        self._lists.append([kind, first])
        self.walk(tag)
        self._lists.pop()
        self._block_edge()

    def _item(self, tag: Tag) -> None:
        self._block_edge()
        if self._lists:
            kind, counter = self._lists[-1]
            marker = f"{counter}." if kind == "ol" else "-"
            self._lists[-1][1] = counter + 1
            indent = "  " * (len(self._lists) - 1)
        else:
            marker, indent = "-", ""
        self._line = self._marker = f"{indent}{marker} "
        self.walk(tag)
        self._marker = None
        self._block_edge()


def _norm_url(url: str) -> str:
    return re.sub(r"^https?://(www\.)?", "", url.strip()).rstrip("/").casefold()
