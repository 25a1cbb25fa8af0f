"""STUB: replaced by the policy-engine work. The signatures below are the contract."""

from __future__ import annotations

from collections.abc import Iterable

from chatbot.domain.drafts import DraftContent
from chatbot.domain.findings import Verdict
from chatbot.domain.pupils import Register


class Policy:  # replaced by the pydantic model in chatbot/policy/model.py
    pass


def load_policy(path: object = None) -> Policy:
    return Policy()


class PolicyEngine:
    """Built once per (policy, register, staff) and reused: indexes are built here."""

    def __init__(self, policy: Policy, register: Register, staff_names: Iterable[str] = ()) -> None:
        self.policy = policy
        self.register = register

    def check(self, content: DraftContent) -> Verdict:
        return Verdict()
