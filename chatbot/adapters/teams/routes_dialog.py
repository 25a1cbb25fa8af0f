"""The "Who is pictured?" dialog: `task/fetch` (verb `draft_declare`) opens it, `task/submit`
(verb `declare_photos`) saves it, `application/search` (dataset `pupils`) finds pupils on a
register too big to travel in the dialog. Errors re-render the dialog with each message beside
its input; success closes it, and the checks' reply and the card follow in the background."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

from chatbot.adapters.db.db import transaction
from chatbot.adapters.db.models import utcnow
from chatbot.adapters.teams.dialogs import (
    continue_task,
    declare_dialog,
    declare_dialog_for,
    message_task,
    parse_declaration,
    search_response,
)
from chatbot.adapters.teams.routes_common import Deps, Json
from chatbot.domain.academic_year import AcademicYear
from chatbot.domain.actors import Actor
from chatbot.domain.ids import parse_id
from chatbot.services import intake
from chatbot.services.registers import load_register

Pupils = tuple[tuple[int, str], ...]
SAVED = "Saved: the bot checks the draft again."


def register_pupils(deps: Deps) -> Pupils:
    """This school year's pupils as (id, "First Last (Year 4)"), for the dialog's choices."""
    with transaction(deps.sessions) as session:
        register = load_register(session, AcademicYear.at(utcnow()))
        pupils = (entry.pupil for entry in register.entries)
        return tuple((p.id, p.label) for p in pupils if p.id is not None)


def _open(deps: Deps, draft_id: int | None, actor: Actor) -> Json:
    form = intake.declaration_form(deps.sessions, draft_id, actor)
    if isinstance(form, str) or draft_id is None:
        return message_task(form if isinstance(form, str) else intake.NOT_DECLARABLE)
    return continue_task(declare_dialog_for(draft_id, form, register=register_pupils(deps)))


async def on_fetch(deps: Deps, data: dict[str, Any], actor: Actor) -> Json:
    return await asyncio.to_thread(_open, deps, parse_id(data.get("draft")), actor)


def _chosen(register: Pupils, ids: Sequence[int]) -> Pupils:
    labels = dict(register)
    return tuple((i, labels[i]) for i in ids if i in labels)


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
        initial_pupils=_chosen(register, declaration.pupil_ids),
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
    found = await asyncio.to_thread(intake.suggest_pupils, deps.sessions, query)
    return search_response(found)


__all__ = ["on_fetch", "on_search", "on_submit", "register_pupils"]
