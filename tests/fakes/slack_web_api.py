"""The fake's Web API side: token checks, the default methods, downloads, the HTTP handler."""

from __future__ import annotations

import contextlib
import json
import uuid
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import parse_qsl, urlsplit

from tests.fakes.slack_state import _JSON_PARAMS, _SIGN_IN_PAGE, Call, SlackState

if TYPE_CHECKING:
    from tests.fakes.slack_server import FakeSlack


class WebApiSide(SlackState):
    # -- Web API ---------------------------------------------------------------------------

    def _handle(self, call: Call) -> tuple[int, dict[str, Any], dict[str, str]]:
        status, answer = self._answer(call)
        headers = {str(k): str(v) for k, v in dict(answer.pop("_headers", {})).items()}
        call.response = answer
        # Recorded once answered, so a waiter can read the ts the fake gave a message.
        with self._lock:
            self._calls.append(call)
            self._lock.notify_all()
        return status, answer, headers

    def _answer(self, call: Call) -> tuple[int, dict[str, Any]]:
        if not call.token:
            return 200, {"ok": False, "error": "not_authed"}
        if call.method == "apps.connections.open":
            if not call.token.startswith("xapp-"):
                return 200, {"ok": False, "error": "not_allowed_token_type"}
            if call.token != self.app_token:
                return 200, {"ok": False, "error": "invalid_auth"}
        elif call.token.startswith("xapp-"):
            return 200, {"ok": False, "error": "not_allowed_token_type"}
        elif call.token != self.bot_token:
            return 200, {"ok": False, "error": "invalid_auth"}
        override = self._overrides.get(call.method)
        if override is not None:
            answer = dict(override(call))
        else:
            default = getattr(self, "_m_" + call.method.replace(".", "_"), None)
            if default is None or call.method not in self._DEFAULT_METHODS:
                return 200, {"ok": False, "error": "unknown_method"}
            answer = default(call.params)
        return int(answer.pop("_status", 200)), answer

    def _m_auth_test(self, _p: dict[str, Any]) -> dict[str, Any]:
        return {
            "ok": True,
            "url": f"https://{self.team_domain}.slack.com/",
            "team": "Hunts Cross Primary",
            "user": "chatbot",
            "team_id": self.team_id,
            "user_id": self.bot_user_id,
            "bot_id": self.bot_id,
            "is_enterprise_install": False,
        }

    def _m_apps_connections_open(self, _p: dict[str, Any]) -> dict[str, Any]:
        ticket = uuid.uuid4().hex
        with self._lock:
            self._tickets.add(ticket)
        return {"ok": True, "url": f"ws://127.0.0.1:{self.ws_port}/link/?ticket={ticket}"}

    def _message(self, p: dict[str, Any], ts: str) -> dict[str, Any]:
        message: dict[str, Any] = {
            "type": "message",
            "subtype": "bot_message",
            "text": p.get("text", ""),
            "user": self.bot_user_id,
            "bot_id": self.bot_id,
            "ts": ts,
        }
        for key in ("blocks", "attachments", "thread_ts", "metadata"):
            if key in p:
                message[key] = p[key]
        return message

    def _m_chat_postMessage(self, p: dict[str, Any]) -> dict[str, Any]:
        channel = p.get("channel")
        if not channel:
            return {"ok": False, "error": "channel_not_found"}
        if not (p.get("text") or p.get("blocks") or p.get("attachments")):
            return {"ok": False, "error": "no_text"}
        ts = self._next_ts()
        return {"ok": True, "channel": channel, "ts": ts, "message": self._message(p, ts)}

    def _m_chat_update(self, p: dict[str, Any]) -> dict[str, Any]:
        if not p.get("channel") or not p.get("ts"):
            return {"ok": False, "error": "message_not_found"}
        return {
            "ok": True,
            "channel": p["channel"],
            "ts": p["ts"],
            "text": p.get("text", ""),
            "message": self._message(p, str(p["ts"])),
        }

    def _m_chat_delete(self, p: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "channel": p.get("channel"), "ts": p.get("ts")}

    def _m_chat_postEphemeral(self, p: dict[str, Any]) -> dict[str, Any]:
        if not p.get("user"):
            return {"ok": False, "error": "user_not_found"}
        return {"ok": True, "message_ts": self._next_ts()}

    def _m_chat_getPermalink(self, p: dict[str, Any]) -> dict[str, Any]:
        channel = str(p.get("channel", ""))
        ts = str(p.get("message_ts", "")).replace(".", "")
        return {
            "ok": True,
            "channel": channel,
            "permalink": f"https://{self.team_domain}.slack.com/archives/{channel}/p{ts}",
        }

    def _m_reactions_add(self, p: dict[str, Any]) -> dict[str, Any]:
        if not p.get("name"):
            return {"ok": False, "error": "invalid_name"}
        return {"ok": True}

    def _m_reactions_remove(self, _p: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True}

    def _view(self, p: dict[str, Any]) -> dict[str, Any]:
        view = p.get("view")
        if not isinstance(view, dict):
            return {"ok": False, "error": "invalid_arguments"}
        view_id = p.get("view_id") or f"V{next(self._views):08d}"
        answer = dict(view)
        answer.update({"id": view_id, "team_id": self.team_id, "hash": uuid.uuid4().hex})
        answer.setdefault("state", {"values": {}})
        return {"ok": True, "view": answer}

    def _m_views_open(self, p: dict[str, Any]) -> dict[str, Any]:
        if not p.get("trigger_id") and not p.get("interactivity_pointer"):
            return {"ok": False, "error": "invalid_trigger_id"}
        return self._view(p)

    _m_views_push = _m_views_open

    def _m_views_update(self, p: dict[str, Any]) -> dict[str, Any]:
        if not p.get("view_id") and not p.get("external_id"):
            return {"ok": False, "error": "not_found"}
        return self._view(p)

    def _m_views_publish(self, p: dict[str, Any]) -> dict[str, Any]:
        if not p.get("user_id"):
            return {"ok": False, "error": "invalid_arguments"}
        return self._view(p)

    def _m_conversations_info(self, p: dict[str, Any]) -> dict[str, Any]:
        channel = self.channels.get(str(p.get("channel")))
        if channel is None:
            return {"ok": False, "error": "channel_not_found"}
        return {"ok": True, "channel": dict(channel)}

    def _m_conversations_open(self, p: dict[str, Any]) -> dict[str, Any]:
        users = str(p.get("users") or "")
        if not users:
            return {"ok": False, "error": "users_list_not_supplied"}
        first = users.split(",", maxsplit=1)[0].strip()
        return {"ok": True, "channel": {"id": "D" + first[1:], "is_im": True, "user": first}}

    def _m_users_info(self, p: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            user = self._users.get(str(p.get("user")))
        if user is None:
            return {"ok": False, "error": "user_not_found"}
        return {"ok": True, "user": dict(user)}

    def _m_usergroups_users_list(self, p: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            users = self._usergroups.get(str(p.get("usergroup")))
        if users is None:
            return {"ok": False, "error": "no_such_subteam"}
        return {"ok": True, "users": list(users)}

    def _m_files_info(self, p: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            stored = self._files.get(str(p.get("file")))
            if stored is None:
                return {"ok": False, "error": "file_not_found"}
            stored.info_calls += 1
            obj = dict(stored.obj)
            if stored.info_calls <= stored.ready_after:
                # Still being processed: Slack gives the file without its download URLs.
                obj.pop("url_private")
                obj.pop("url_private_download")
        return {"ok": True, "file": obj, "comments": [], "response_metadata": {"next_cursor": ""}}

    def _download(self, path: str, token: str | None) -> tuple[int, str, bytes]:
        with self._lock:
            self._downloads.append((path, token))
        if token != self.bot_token:
            return 200, "text/html; charset=utf-8", _SIGN_IN_PAGE
        # /files-pri/T-F123/name.jpg
        parts = path.split("/")
        file_key = parts[2] if len(parts) > 2 else ""
        file_id = file_key.removeprefix(f"{self.team_id}-")
        with self._lock:
            stored = self._files.get(file_id)
        if stored is None:
            return 404, "text/plain", b"file not found"
        return 200, str(stored.obj["mimetype"]), stored.data


class _HttpHandler(BaseHTTPRequestHandler):
    owner: ClassVar[FakeSlack]
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # quiet in test output
        return

    def _token(self, params: dict[str, Any]) -> str | None:
        header = self.headers.get("Authorization", "")
        if header.startswith("Bearer "):
            return header.removeprefix("Bearer ").strip() or None
        token = params.pop("token", None)
        return str(token) if token else None

    def _params(self) -> dict[str, Any]:
        split = urlsplit(self.path)
        params: dict[str, Any] = dict(parse_qsl(split.query, keep_blank_values=True))
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        ctype = self.headers.get("Content-Type", "")
        if body and ctype.startswith("application/json"):
            decoded = json.loads(body)
            if isinstance(decoded, dict):
                params.update(decoded)
        elif body and ctype.startswith("multipart/form-data"):
            message = BytesParser(policy=HTTP).parsebytes(
                f"Content-Type: {ctype}\r\n\r\n".encode() + body
            )
            for part in message.iter_parts():
                name = part.get_param("name", header="content-disposition")
                content = part.get_payload(decode=True)
                if not isinstance(content, bytes):
                    continue
                if part.get_filename():
                    params[str(name)] = content
                else:
                    params[str(name)] = content.decode()
        elif body:
            params.update(parse_qsl(body.decode(), keep_blank_values=True))
        for key in _JSON_PARAMS & params.keys():
            if isinstance(params[key], str):
                with contextlib.suppress(ValueError):
                    params[key] = json.loads(params[key])
        return params

    def _send(self, status: int, ctype: str, body: bytes, headers: dict[str, str]) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _serve(self) -> None:
        path = urlsplit(self.path).path
        with self.owner._lock:
            location = self.owner._redirects.get(path)
        if location:
            self._send(302, "text/plain", b"", {"Location": location})
            return
        if path.startswith("/files-pri/"):
            params = self._params()
            status, ctype, data = self.owner._download(path, self._token(params))
            self._send(status, ctype, data, {})
            return
        if not path.startswith("/api/"):
            self._send(404, "text/plain", b"not found", {})
            return
        params = self._params()
        call = Call(method=path.removeprefix("/api/"), params=params, token=self._token(params))
        status, answer, headers = self.owner._handle(call)
        body = json.dumps(answer).encode()
        self._send(status, "application/json; charset=utf-8", body, headers)

    do_GET = _serve
    do_POST = _serve


# The school's three channels as the tests name them (ids are made up but well formed).
