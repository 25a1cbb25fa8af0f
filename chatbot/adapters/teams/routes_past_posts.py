"""The past-posts card's buttons on Teams (`adaptiveCard/action` verbs `past_post_delete` and
`past_post_keep`, data `{"post": "<draft id>"}` and the card's `reason`).

Which review a click is about is the card it came from (the invoke's `replyToId`); the
decision, and who may make it, are services/past_posts.py's. A refusal goes only to the
clicker, in the answer; the card is redrawn for everyone after the answer, in the background.
"""

from __future__ import annotations

from typing import Any

from chatbot.adapters.db.db import transaction
from chatbot.adapters.teams import refs as teams_refs
from chatbot.adapters.teams.past_posts_card import DELETE_VERB
from chatbot.adapters.teams.routes_cards import RecordingChat
from chatbot.adapters.teams.routes_common import STILL_WORKING, Deps, Json, refusal, within_budget
from chatbot.domain.actors import Actor
from chatbot.domain.ids import parse_id
from chatbot.domain.messages import as_message
from chatbot.services import past_posts
from chatbot.services.approval import Answer

DONE = {
    "past_post_delete": "The post will be deleted from X shortly.",
    "past_post_keep": "Recorded: the post stays on X.",
}


async def on_past_post_verb(
    deps: Deps,
    verb: str,
    data: dict[str, Any],
    actor: Actor,
    clicked_at: tuple[str, str] | None,
) -> Json:
    draft_id = parse_id(data.get("post"))
    reason = data.get("reason")
    reason = reason.strip() if isinstance(reason, str) else ""
    chat = RecordingChat(deps.gateway.limits, deps.gateway.words)

    def work() -> Answer:
        review_id = None
        if clicked_at is not None:
            # A click on a channel post comes from "<channel>;messageid=<post>": the channel.
            channel = clicked_at[0].split(";", maxsplit=1)[0]
            with transaction(deps.sessions) as session:
                review_id = teams_refs.review_at(session, (channel, clicked_at[1]))
        decide = past_posts.request_delete if verb == DELETE_VERB else past_posts.keep
        return decide(deps.sessions, chat, review_id, draft_id, actor, reason=reason)

    def then(_answer: Answer) -> None:
        chat.replay(deps.gateway)

    result = await within_budget(deps, ("past_post", draft_id), work, then, f"the click {verb}")
    if result is None:
        return refusal(STILL_WORKING)
    return refusal(as_message(result.message).plain if not result.ok else DONE[verb])
