"""A TCP relay in front of the fake's WebSocket server, so a test can drop a connection the way
networks do: FIN or RST without a close frame, or silence."""

from __future__ import annotations

import contextlib
import selectors
import socket
import struct
import threading
from typing import Literal

Cut = Literal["fin", "rst", "silent"]


class _Link:
    """One client connection through the relay: bytes both ways until cut."""

    def __init__(self, client: socket.socket, upstream: socket.socket) -> None:
        self.client = client
        self.upstream = upstream
        self._wake_r, self._wake_w = socket.socketpair()
        self._actions: list[Cut | Literal["stop"]] = []
        self._lock = threading.Lock()
        self.done = threading.Event()

    def order(self, action: Cut | Literal["stop"]) -> None:
        with self._lock:
            self._actions.append(action)
        with contextlib.suppress(OSError):
            self._wake_w.send(b"x")

    def run(self) -> None:
        selector = selectors.DefaultSelector()
        selector.register(self._wake_r, selectors.EVENT_READ)
        selector.register(self.client, selectors.EVENT_READ, self.upstream)
        selector.register(self.upstream, selectors.EVENT_READ, self.client)
        draining = False  # after a FIN: read what the client still sends, forward nothing
        try:
            while True:
                for key, _ in selector.select():
                    if key.fileobj is self._wake_r:
                        self._wake_r.recv(64)
                        with self._lock:
                            actions, self._actions = self._actions, []
                        for action in actions:
                            if action == "stop":
                                return
                            if action == "rst":
                                # SO_LINGER 0: close() sends a RST, not a FIN.
                                self.client.setsockopt(
                                    socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
                                )
                                return
                            with contextlib.suppress(KeyError):
                                selector.unregister(self.upstream)
                            if action == "fin":
                                # A plain TCP close: FIN, no WebSocket close frame.
                                with contextlib.suppress(OSError):
                                    self.client.shutdown(socket.SHUT_WR)
                                self.upstream.close()  # the server side ends as well
                                draining = True
                            else:  # silent: nothing read, nothing answered, nothing closed
                                with contextlib.suppress(KeyError):
                                    selector.unregister(self.client)
                        continue
                    sock = key.fileobj
                    assert isinstance(sock, socket.socket)
                    try:
                        data = sock.recv(65536)
                    except OSError:
                        return
                    if not data:
                        return
                    if not draining:
                        other: socket.socket = key.data
                        try:
                            other.sendall(data)
                        except OSError:
                            return
        finally:
            selector.close()
            for sock in (self.client, self.upstream, self._wake_r, self._wake_w):
                with contextlib.suppress(OSError):
                    sock.close()
            self.done.set()


class _Relay:
    """A TCP hop in front of the WebSocket server, like a proxy or a load balancer."""

    def __init__(self, target_port: int) -> None:
        self._target = target_port
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self._listener.getsockname()[1]
        self._links: list[_Link] = []
        self._lock = threading.Lock()
        self._stopping = False
        self._thread = threading.Thread(target=self._accept, daemon=True, name="fake-slack-relay")
        self._thread.start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(("127.0.0.1", self._target))
            except OSError:
                client.close()
                continue
            link = _Link(client, upstream)
            with self._lock:
                if self._stopping:
                    client.close()
                    upstream.close()
                    return
                self._links = [*(k for k in self._links if not k.done.is_set()), link]
            threading.Thread(target=link.run, daemon=True, name="fake-slack-link").start()

    def cut(self, how: Cut) -> int:
        """Cut every live link `how`; returns how many were cut."""
        with self._lock:
            links = [k for k in self._links if not k.done.is_set()]
        for link in links:
            link.order(how)
        return len(links)

    def stop(self) -> None:
        with self._lock:
            self._stopping = True
            links = list(self._links)
        # shutdown() wakes the accept() blocked in the relay's thread; close() alone may not.
        with contextlib.suppress(OSError):
            self._listener.shutdown(socket.SHUT_RDWR)
        self._listener.close()
        for link in links:
            link.order("stop")
        for link in links:
            link.done.wait(5)
        self._thread.join(5)
