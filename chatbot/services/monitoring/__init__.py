"""Safeguarding monitors: the school's followers, pupils following staff, mentions, follows.

Everything here talks to the network through the `SocialReader` port and to chat through
`ChatGateway`.
A follower matched to a pupil is a hint for a person: the database keeps the network's id, the
handle, the rule, short evidence and the decision, never a profile and never a pupil's name.
"""

from chatbot.services.monitoring.context import MonitorContext, RunReport
from chatbot.services.monitoring.decisions import (
    AlertDecision,
    AlertStale,
    decide_alert,
    hide_reply,
    mute_author,
    not_done,
    record_staff_block,
)
from chatbot.services.monitoring.schedule import (
    MONITORS,
    monitor_context,
    register_monitors,
    run_monitor,
)

__all__ = [
    "MONITORS",
    "AlertDecision",
    "AlertStale",
    "MonitorContext",
    "RunReport",
    "decide_alert",
    "hide_reply",
    "monitor_context",
    "mute_author",
    "not_done",
    "record_staff_block",
    "register_monitors",
    "run_monitor",
]
