"""Reading Slack's interaction payloads (block_actions, view_submission), in one place.

A submitted view's inputs are found by action id across all blocks, never by block id: the
block ids are ours to choose, and a payload built by someone else may use others.
"""

from __future__ import annotations

from typing import Any


def user_of(body: dict[str, Any]) -> str:
    return str((body.get("user") or {}).get("id", ""))


def action_value(body: dict[str, Any]) -> object:
    actions = body.get("actions") or [{}]
    return actions[0].get("value")


def channel_of(body: dict[str, Any]) -> str | None:
    channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get(
        "channel_id"
    )
    return str(channel) if channel else None


def view_values(view: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """{action_id: element state} across all blocks of a submitted view."""
    out: dict[str, dict[str, Any]] = {}
    for block in ((view.get("state") or {}).get("values") or {}).values():
        for action_id, state in (block or {}).items():
            if isinstance(state, dict):
                out[action_id] = state
    return out


def text_value(values: dict[str, dict[str, Any]], action_id: str) -> str:
    return str((values.get(action_id) or {}).get("value") or "")
