"""The "Who is pictured?" dialog: `task/fetch` (verb `draft_declare`) opens it, `task/submit`
(verb `declare_photos`) saves it, `application/search` (dataset `pupils`) finds pupils on a
register too big to travel in the dialog. Errors re-render the dialog with each message beside
its input; success closes it, and the checks' reply and the card follow in the background."""

from __future__ import annotations

import asyncio
from typing import Any

from chatbot.adapters.teams.dialogs import (
    SEARCH_RESULTS,
    continue_task,
    declare_dialog,
    declare_dialog_for,
    message_task,
    parse_declaration,
    search_response,
)
from chatbot.adapters.teams.routes_common import Deps, Json
from chatbot.domain.actors import Actor
from chatbot.domain.ids import parse_id
from chatbot.services import intake

Pupils = tuple[intake.Choice, ...]
SAVED = "Saved: the bot checks the draft again."


def register_pupils(deps: Deps) -> Pupils:
    """Every choice of the dialog: this year's pupils as (id, "First Last (Year 4)"), then
    those on no register of this year, then "someone who is not on the register"."""
    return tuple(intake.every_choice(deps.sessions))


def _open(deps: Deps, draft_id: int | None, actor: Actor) -> Json:
    form = intake.declaration_form(deps.sessions, draft_id, actor)
    if isinstance(form, str) or draft_id is None:
        return message_task(form if isinstance(form, str) else intake.NOT_DECLARABLE)
    return continue_task(declare_dialog_for(draft_id, form, register=register_pupils(deps)))


async def on_fetch(deps: Deps, data: dict[str, Any], actor: Actor) -> Json:
    return await asyncio.to_thread(_open, deps, parse_id(data.get("draft")), actor)


def _save(
    deps: Deps, draft_id: int | None, data: dict[str, Any], actor: Actor
) -> tuple[Json | None, bool]:
    """(None when saved, so the dialog closes; else the dialog again or a closing refusal,
    and whether anything was stored)."""
    form = intake.declaration_form(deps.sessions, draft_id, actor)
    if isinstance(form, str) or draft_id is None:
        return message_task(form if isinstance(form, str) else intake.NOT_DECLARABLE), False
    declaration = parse_declaration(data, form.photo_count)
    result = intake.declare(deps.sessions, deps.policy, draft_id, actor, declaration)
    if result.ok:
        return None, result.stored
    register = register_pupils(deps)
    card = declare_dialog(
        draft_id,
        form.photo_count,
        register=register,
        alt_texts=declaration.alt_texts,
        initial_pupils=intake.chosen_labels(
            deps.sessions, declaration.pupil_ids, declaration.unregistered
        ),
        no_pupils=declaration.no_pupils,
        source=declaration.source,
        errors=result.errors,
    )
    return continue_task(card), result.stored


async def on_submit(deps: Deps, data: dict[str, Any], actor: Actor) -> Json | None:
    draft_id = parse_id(data.get("draft"))
    body, stored = await asyncio.to_thread(_save, deps, draft_id, data, actor)
    if stored and draft_id is not None:
        found = draft_id
        deps.background.run(
            ("draft", found),
            lambda: intake.announce(deps.gateway, found),
            "announcing a declaration",
        )
    return body


async def on_search(deps: Deps, value: dict[str, Any]) -> Json:
    query = str(value.get("queryText") or "").strip()
    # "Someone not on the register" is a static choice of the dialog, so not offered here.
    found = await asyncio.to_thread(
        lambda: intake.suggest_choices(deps.sessions, query, limit=SEARCH_RESULTS, anyone=False)
    )
    return search_response(found)


__all__ = ["on_fetch", "on_search", "on_submit", "register_pupils"]
