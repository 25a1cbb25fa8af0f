"""A listener that fails still answers Slack, and its failure is logged without its message."""

from __future__ import annotations

import json
import logging
from typing import Any, cast

import pytest
from slack_bolt import Ack

from chatbot.adapters.slack.listeners import SORRY, guarded
from chatbot.adapters.slack.listeners.common import Deps, bind

PUPIL = "Zoë Smith"


def new_ack() -> Ack:
    return Ack()  # type: ignore[no-untyped-call]


@guarded
def failing(ack: Ack, body: dict[str, Any]) -> None:
    raise RuntimeError(PUPIL)  # an exception's text may carry a pupil's name


def test_a_form_that_fails_before_its_answer_gets_a_clear_one(
    caplog: pytest.LogCaptureFixture,
) -> None:
    ack = new_ack()
    with caplog.at_level(logging.ERROR):
        failing(ack=ack, body={"type": "view_submission"})
    assert ack.response is not None
    answer = json.loads(ack.response.body)
    assert answer["response_action"] == "update"
    assert SORRY in json.dumps(answer["view"])
    assert "RuntimeError" in caplog.text
    assert PUPIL not in caplog.text


def test_a_failed_click_is_still_acknowledged() -> None:
    ack = new_ack()
    failing(ack=ack, body={"type": "block_actions"})
    assert ack.response is not None
    assert ack.response.status == 200


def test_an_answered_request_is_not_answered_twice() -> None:
    @guarded
    def fails_after_ack(ack: Ack, body: dict[str, Any]) -> None:
        ack(response_action="errors", errors={"reason": "Please give a reason."})
        raise RuntimeError("after")

    ack = new_ack()
    fails_after_ack(ack=ack, body={"type": "view_submission"})
    assert ack.response is not None
    assert json.loads(ack.response.body)["response_action"] == "errors"


def on_some_click(deps: Deps, ack: Ack, body: dict[str, Any]) -> None:
    raise RuntimeError(PUPIL)


def test_a_bound_listener_is_logged_under_its_own_name(caplog: pytest.LogCaptureFixture) -> None:
    from slack_bolt.util.utils import get_arg_names_of_callable

    bound = bind(cast(Deps, None), on_some_click)
    # Bolt passes a listener the arguments its signature names: all but the deps.
    assert get_arg_names_of_callable(bound) == ["ack", "body"]
    ack = new_ack()
    with caplog.at_level(logging.ERROR):
        bound(ack=ack, body={"type": "block_actions"})
    assert "listener on_some_click failed: RuntimeError" in caplog.text
    assert PUPIL not in caplog.text
    assert ack.response is not None


def test_a_worker_that_dies_is_logged_without_its_message(
    caplog: pytest.LogCaptureFixture,
) -> None:
    import threading

    from chatbot.lifecycle import start_worker

    class Dying:
        def run(self, stop: threading.Event) -> None:
            raise RuntimeError(PUPIL)

    with caplog.at_level(logging.ERROR):
        start_worker(Dying(), threading.Event()).join()  # type: ignore[arg-type]
    assert "the publishing worker failed: RuntimeError" in caplog.text
    assert PUPIL not in caplog.text
