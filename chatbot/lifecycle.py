"""A long-running process's life, whatever the chat platform: start-up errors and their exit
statuses, the signals that stop it, the worker thread and a clean shutdown."""

from __future__ import annotations

import logging
import os
import signal
import threading
from collections.abc import Callable
from types import FrameType
from typing import TYPE_CHECKING, Protocol

from chatbot.services.failures import log_failure

if TYPE_CHECKING:
    from chatbot.worker import Worker

log = logging.getLogger("chatbot.run")

# Exit statuses: 2 = fix the configuration (a restart will not help; systemd units can use
# RestartPreventExitStatus=2), 1 = the chat platform or the network is unreachable (a restart
# may help).
EXIT_CONFIG = 2
EXIT_UNAVAILABLE = 1

# How long shutdown waits for a publish in progress (systemd's TimeoutStopSec is 90 s).
SHUTDOWN_GRACE_SECONDS = 60.0


class StartupError(Exception):
    """`chatbot run` cannot start; the message names the setting and the fix."""

    def __init__(self, message: str, exit_code: int = EXIT_CONFIG) -> None:
        super().__init__(message)
        self.exit_code = exit_code


class Connection(Protocol):
    """A chat platform's open connection (Slack's Socket Mode, say)."""

    def close(self) -> None:
        """Stop taking events, wait for the listeners already running, disconnect."""


class Shutdown:
    """SIGTERM/SIGINT set `requested`; a second signal while stopping exits at once."""

    def __init__(self, on_second: Callable[[], None]) -> None:
        self.requested = threading.Event()
        self._on_second = on_second

    def __call__(self, signum: int, _frame: FrameType | None) -> None:
        if self.requested.is_set():
            log.warning("second %s: stopping now", signal.Signals(signum).name)
            self._on_second()
            return
        log.info(
            "%s received: finishing the work in hand, then stopping", signal.Signals(signum).name
        )
        self.requested.set()

    def install(self) -> None:
        signal.signal(signal.SIGTERM, self)
        signal.signal(signal.SIGINT, self)


def exit_now() -> None:
    os._exit(EXIT_UNAVAILABLE)


def stop_on_signals(stop: threading.Event) -> None:
    """SIGTERM and SIGINT set `stop` (the worker finishes the item in hand, then returns)."""
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, _Setter(stop))


class _Setter:
    def __init__(self, event: threading.Event) -> None:
        self.event = event

    def __call__(self, _signum: int, _frame: FrameType | None) -> None:
        self.event.set()


def _run_worker(worker: Worker, stop: threading.Event) -> None:
    try:
        worker.run(stop)
    except Exception as exc:
        # without the exception's text, which may carry a draft or a pupil's name
        log_failure(log, "the publishing worker", exc)


def start_worker(worker: Worker, stop: threading.Event) -> threading.Thread:
    """Run the worker in a thread of this process until `stop` is set."""
    # Not a daemon: the interpreter must not end it in the middle of a publish.
    thread = threading.Thread(target=_run_worker, args=(worker, stop), name="publishing-worker")
    thread.start()
    return thread


def serve(connection: Connection, make_worker: Callable[[], Worker], shutdown: Shutdown) -> int:
    """Run the worker beside an open chat connection until `shutdown`; the exit status."""
    worker_stop = threading.Event()
    worker: threading.Thread | None = None
    try:
        worker = start_worker(make_worker(), worker_stop)
        log.info("chatbot is running; stop it with SIGTERM or Ctrl+C")
        shutdown.requested.wait()
    except BaseException:
        # Whatever went wrong, leave no connection or worker thread behind.
        stop(connection, worker, worker_stop)
        raise
    return stop(connection, worker, worker_stop)


def stop(
    connection: Connection, worker: threading.Thread | None, worker_stop: threading.Event
) -> int:
    """Stop taking events, let listeners and the publish in hand finish, close the connection."""
    worker_stop.set()
    connection.close()
    status = 0
    if worker is not None:
        worker.join(SHUTDOWN_GRACE_SECONDS)
        if worker.is_alive():
            log.error(
                "the publishing worker did not stop within %.0f s; a post being published may "
                "need review at the next start",
                SHUTDOWN_GRACE_SECONDS,
            )
            status = EXIT_UNAVAILABLE
    log.info("stopped")
    return status
