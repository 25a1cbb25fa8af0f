"""Teams message HTML becomes the text that will be posted (realistic Teams markup)."""

from __future__ import annotations

import pytest

from chatbot.adapters.teams.html_text import bot_mention_names, teams_html_to_text

BOT_ID = "28:0b6f6c1e-2d3a-4c5b-9e8f-7a6b5c4d3e2f"


@pytest.mark.parametrize(
    ("html", "text"),
    [
        (
            "<p>Year 6 had a <strong>brilliant</strong> trip to the Museum&nbsp;of "
            "Liverpool today!</p>",
            "Year 6 had a brilliant trip to the Museum of Liverpool today!",
        ),
        (
            "<p>Fish &amp; chips &lt;3 &quot;yum&quot; &#39;ok&#39; &pound;5 &euro;2</p>",
            "Fish & chips <3 \"yum\" 'ok' £5 €2",
        ),
        ("<p>Line one</p><p>&nbsp;</p><p>Line two</p>", "Line one\n\nLine two"),
        ("<p>Line one</p><p>Line two</p>", "Line one\nLine two"),
        ("<div>Line one<br>Line two</div>", "Line one\nLine two"),
        ("<div>Line one<br/><br/>Line three</div>", "Line one\n\nLine three"),
        (
            "<div>\n  <p>\n    Sports day\n    is on Friday.\n  </p>\n</div>\n",
            "Sports day is on Friday.",
        ),
        (
            "<p>Please bring:</p><ul><li>a water bottle</li><li>a sun hat</li></ul>"
            "<p>Thank you!</p>",
            "Please bring:\n- a water bottle\n- a sun hat\nThank you!",
        ),
        (
            "<ol><li>Warm up</li><li>Relay</li><li>Egg and spoon</li></ol>",
            "1. Warm up\n2. Relay\n3. Egg and spoon",
        ),
        ('<ol start="4"><li>Four</li><li>Five</li></ol>', "4. Four\n5. Five"),
        (
            "<ul><li>Art<ul><li>Painting</li><li>Clay</li></ul></li><li>Music</li></ul>",
            "- Art\n  - Painting\n  - Clay\n- Music",
        ),
        ("<ul><li><p>Wrapped in a paragraph</p></li></ul>", "- Wrapped in a paragraph"),
        (
            '<p>Well done <span class="animated-emoticon-50-clap" title="Clapping hands" '
            'type="(clap)"><img itemscope="" itemtype="http://schema.skype.com/Emoji" '
            'alt="👏" title="Clapping hands" style="width:20px;height:20px;" '
            'src="https://statics.teams.cdn.office.net/evergreen-assets/personal-expressions/'
            'v2/assets/emoticons/clap/default/20_f.png"></span> everyone</p>',
            "Well done 👏 everyone",
        ),
        (
            '<p>Our new garden<img src="https://smba.trafficmanager.net/emea/v3/attachments/'
            '0-weu-d4-1a2b/views/original" alt="image" itemscope="" '
            'itemtype="http://schema.skype.com/AMSImage" width="250" height="187"></p>',
            "Our new garden",
        ),
        (
            '<p>Details: <a href="https://www.liverpoolmuseums.org.uk/" rel="noreferrer noopener"'
            ' target="_blank" title="https://www.liverpoolmuseums.org.uk/">'
            "https://www.liverpoolmuseums.org.uk/</a></p>",
            "Details: https://www.liverpoolmuseums.org.uk/",
        ),
        (
            '<p>Read <a href="https://example.org/letter.pdf">the letter</a> today</p>',
            "Read the letter (https://example.org/letter.pdf) today",
        ),
        ("<p>x</p><script>alert(1)</script><style>p{}</style>", "x"),
        ("<p>a <!-- a comment --> b</p>", "a b"),
        ("Plain text, no tags", "Plain text, no tags"),
        ("", ""),
    ],
)
def test_html_becomes_posted_text(html: str, text: str) -> None:
    assert teams_html_to_text(html) == text


def test_the_bots_mention_is_dropped_and_others_keep_their_name() -> None:
    entities = [
        {
            "type": "mention",
            "text": "<at>Hunts Cross Bot</at>",
            "mentioned": {"id": BOT_ID, "name": "Hunts Cross Bot"},
        },
        {
            "type": "mention",
            "text": "<at>Jane Smith</at>",
            "mentioned": {"id": "29:1abc", "name": "Jane Smith"},
        },
        {"type": "clientInfo", "locale": "en-GB"},
    ]
    names = bot_mention_names(entities, BOT_ID)
    assert names == {"Hunts Cross Bot"}
    html = (
        "<p><at>Hunts Cross Bot</at>&nbsp;Thanks to <at>Jane Smith</at> for running the "
        "bake sale!</p>"
    )
    assert (
        teams_html_to_text(html, bot_names=names)
        == "Thanks to Jane Smith for running the bake sale!"
    )


def test_without_bot_names_every_mention_keeps_its_text() -> None:
    assert teams_html_to_text("<p><at>Hunts Cross Bot</at> hello</p>") == "Hunts Cross Bot hello"


def test_no_mentions_in_entities() -> None:
    assert bot_mention_names(None, BOT_ID) == set()
    assert bot_mention_names([{"type": "mention", "mentioned": "odd"}], BOT_ID) == set()
