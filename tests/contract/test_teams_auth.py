"""auth.py against the local fakes: inbound Bot Framework JWTs, outbound MSAL tokens, the guard."""

from __future__ import annotations

import logging
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import SecretStr

from chatbot.adapters.teams.auth import (
    InboundValidator,
    KeysUnavailableError,
    OutboundBlockedError,
    OutboundTokens,
    ServiceUrlGuard,
    SigningKeys,
    TeamsAuthError,
    TeamsTokenError,
    same_service_url,
)
from tests.fakes.teams import APP_ID, APP_PASSWORD, TENANT_ID, SigningKey, TeamsFakes, teams_fakes


@pytest.fixture
def fakes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[TeamsFakes]:
    with teams_fakes(tmp_path) as started:
        started.trust_ca(monkeypatch)
        yield started


def _validator(fakes: TeamsFakes, **keys_options: object) -> InboundValidator:
    keys = SigningKeys(fakes.keys.openid_url, **keys_options)  # type: ignore[arg-type]
    return InboundValidator(app_id=APP_ID, keys=keys)


def _check(validator: InboundValidator, fakes: TeamsFakes, token: str | None) -> dict[str, object]:
    header = None if token is None else f"Bearer {token}"
    return validator.validate(header, service_url=fakes.connector.service_url, channel_id="msteams")


# -- inbound -------------------------------------------------------------------------------


def test_a_token_signed_by_the_published_key_is_accepted(fakes: TeamsFakes) -> None:
    claims = _check(_validator(fakes), fakes, fakes.sign())
    assert claims["aud"] == APP_ID
    assert claims["serviceurl"] == fakes.connector.service_url
    # The keys came from the configured OpenID document, not a fixed address.
    assert [r.path for r in fakes.keys.requests()] == [
        "/v1/.well-known/openidconfiguration",
        "/v1/keys",
    ]


@pytest.mark.parametrize(
    ("make_token", "reason"),
    [
        (
            lambda f: SigningKey(kid=f.key.kid).sign(
                app_id=APP_ID, service_url=f.connector.service_url
            ),
            "invalid token (InvalidSignatureError)",
        ),
        (lambda f: f.sign(lifetime=-3600), "token expired"),
        (
            lambda f: f.sign(app_id="11111111-2222-3333-4444-555555555555"),
            "token for another audience",
        ),
        (lambda f: f.sign(issuer="https://sts.windows.net/evil/"), "token from another issuer"),
        (
            lambda f: f.sign(service_url="https://evil.example.net/emea/"),
            "serviceurl claim does not match the activity",
        ),
        (lambda f: f.sign(service_url=None), "token has no serviceurl claim"),
        (lambda f: f.sign(now=time.time() + 3600), "token not yet valid"),
        (lambda f: f.sign(kid="not-published"), "token signed with an unknown key"),
        (lambda f: f.sign(algorithm="RS512"), "token not signed with RS256"),
        (lambda f: "not.a.jwt", "malformed token"),
        (lambda f: None, "no Authorization header"),
    ],
)
def test_anything_else_is_rejected(fakes: TeamsFakes, make_token, reason: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(TeamsAuthError) as caught:
        _check(_validator(fakes), fakes, make_token(fakes))
    assert caught.value.reason == reason


def test_an_unsigned_token_is_rejected(fakes: TeamsFakes) -> None:
    import jwt

    token = jwt.encode(
        {
            "aud": APP_ID,
            "iss": "https://api.botframework.com",
            "exp": int(time.time()) + 60,
            "serviceurl": fakes.connector.service_url,
        },
        key=None,
        algorithm="none",
        headers={"kid": fakes.key.kid},
    )
    with pytest.raises(TeamsAuthError, match="RS256"):
        _check(_validator(fakes), fakes, token)


def test_small_clock_skew_is_allowed(fakes: TeamsFakes) -> None:
    _check(_validator(fakes), fakes, fakes.sign(lifetime=-60))


def test_header_forms(fakes: TeamsFakes) -> None:
    validator = _validator(fakes)
    token = fakes.sign()
    kwargs = {"service_url": fakes.connector.service_url, "channel_id": "msteams"}
    validator.validate(f"bearer {token}", **kwargs)  # type: ignore[arg-type]
    for header in (f"Basic {token}", "Bearer", f"Bearer {token} extra", ""):
        with pytest.raises(TeamsAuthError):
            validator.validate(header, **kwargs)  # type: ignore[arg-type]


def test_service_url_compares_case_and_slash_insensitively(fakes: TeamsFakes) -> None:
    upper = fakes.connector.service_url.upper().replace("HTTPS", "https").replace("/EMEA/", "/emea")
    _validator(fakes).validate(
        f"Bearer {fakes.sign(service_url=upper)}",
        service_url=fakes.connector.service_url,
        channel_id="msteams",
    )
    assert not same_service_url("https://a.example/emea/", "https://a.example/amer/")
    assert not same_service_url("https://a.example/emea/", "http://a.example/emea/")


def test_a_key_not_endorsed_for_the_channel_is_refused(fakes: TeamsFakes) -> None:
    key = SigningKey(endorsements=("skype",))
    fakes.keys.publish([key])
    token = key.sign(app_id=APP_ID, service_url=fakes.connector.service_url)
    with pytest.raises(TeamsAuthError, match="endorsed"):
        _check(_validator(fakes), fakes, token)


def test_a_rolled_key_is_fetched_on_first_sight_but_not_more_than_once_a_minute(
    fakes: TeamsFakes,
) -> None:
    now = [1000.0]
    validator = _validator(fakes, clock=lambda: now[0])
    _check(validator, fakes, fakes.sign())
    rolled = SigningKey()
    fakes.keys.publish([fakes.key, rolled])
    token = rolled.sign(app_id=APP_ID, service_url=fakes.connector.service_url)
    now[0] += 61
    _check(validator, fakes, token)
    assert len(fakes.keys.requests(path="/v1/keys")) == 2
    # Made-up kids right after a refresh do not reach the key endpoint.
    for _ in range(5):
        with pytest.raises(TeamsAuthError, match="unknown key"):
            _check(validator, fakes, fakes.sign(kid="made-up"))
    assert len(fakes.keys.requests(path="/v1/keys")) == 2
    _check(validator, fakes, fakes.sign())  # known keys still served from the cache


def test_keys_kept_when_a_refresh_fails(fakes: TeamsFakes) -> None:
    now = [0.0]
    calls: list[str] = []

    def flaky_fetch(url: str) -> bytes:
        calls.append(url)
        if len(calls) > 2:
            raise OSError("key endpoint down")
        with urllib.request.urlopen(url) as response:  # noqa: S310 (the fake, over https)
            return bytes(response.read())

    validator = _validator(fakes, fetch=flaky_fetch, clock=lambda: now[0])
    _check(validator, fakes, fakes.sign())
    now[0] += 25 * 3600  # stale: refresh is tried, fails, old keys still work
    _check(validator, fakes, fakes.sign())


def test_no_keys_at_all_is_an_auth_failure(tmp_path: Path) -> None:
    keys = SigningKeys("https://127.0.0.1:9/v1/.well-known/openidconfiguration")
    validator = InboundValidator(app_id=APP_ID, keys=keys)
    token = SigningKey().sign(app_id=APP_ID, service_url="https://x.example/")
    with pytest.raises(KeysUnavailableError):
        validator.validate(
            f"Bearer {token}", service_url="https://x.example/", channel_id="msteams"
        )


def test_keys_only_over_https() -> None:
    with pytest.raises(KeysUnavailableError):
        SigningKeys("http://127.0.0.1:9/openid").get("kid")


def test_the_token_never_reaches_the_log(
    fakes: TeamsFakes, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    token = fakes.sign(lifetime=-3600)
    with pytest.raises(TeamsAuthError) as caught:
        _check(_validator(fakes), fakes, token)
    assert token not in caplog.text
    assert token not in str(caught.value)
    assert token.split(".")[1] not in caplog.text


def test_validate_async(fakes: TeamsFakes) -> None:
    import asyncio

    claims = asyncio.run(
        _validator(fakes).validate_async(
            f"Bearer {fakes.sign()}", service_url=fakes.connector.service_url, channel_id="msteams"
        )
    )
    assert claims["aud"] == APP_ID


# -- outbound ------------------------------------------------------------------------------


def _tokens(fakes: TeamsFakes, password: str = APP_PASSWORD) -> OutboundTokens:
    return OutboundTokens(
        app_id=APP_ID,
        password=SecretStr(password),
        tenant_id=TENANT_ID,
        authority_url=fakes.tokens.authority_url,
    )


def test_client_credentials_token_is_accepted_by_the_connector(fakes: TeamsFakes) -> None:
    tokens = _tokens(fakes)
    token = tokens.token()
    assert fakes.tokens.is_valid(token)
    assert tokens.token() == token  # cached by MSAL: one request to the token endpoint
    assert len(fakes.tokens.token_requests()) == 1
    form = fakes.tokens.token_requests()[0].form()
    assert form["scope"] == "https://api.botframework.com/.default"
    assert form["client_id"] == APP_ID
    request = urllib.request.Request(  # noqa: S310
        fakes.connector.service_url + "v3/conversations/19:abc@thread.tacv2/activities",
        data=b'{"type": "message", "text": "hi"}',
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request) as response:  # noqa: S310
        assert response.status == 201
    assert fakes.connector.calls("send")[0].conversation_id == "19:abc@thread.tacv2"


def test_the_token_request_goes_to_the_configured_authority_only(fakes: TeamsFakes) -> None:
    _tokens(fakes).token()
    paths = [r.path for r in fakes.tokens.requests()]
    assert paths == [
        f"/{TENANT_ID}/v2.0/.well-known/openid-configuration",
        f"/{TENANT_ID}/oauth2/v2.0/token",
    ]  # no instance discovery at login.microsoftonline.com


def test_a_wrong_secret_fails_without_telling_it(
    fakes: TeamsFakes, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    secret = "wrong-secret-value-0123"
    with pytest.raises(TeamsTokenError) as caught:
        _tokens(fakes, secret).token()
    assert "invalid_client" in str(caught.value)
    assert secret not in str(caught.value)
    assert secret not in caplog.text
    assert APP_PASSWORD not in caplog.text


def test_an_unreachable_authority_is_a_token_error() -> None:
    tokens = OutboundTokens(
        app_id=APP_ID,
        password=SecretStr(APP_PASSWORD),
        tenant_id=TENANT_ID,
        authority_url="https://127.0.0.1:9",
    )
    with pytest.raises(TeamsTokenError):
        tokens.token()


def test_the_authority_must_be_https() -> None:
    with pytest.raises(ValueError, match="https"):
        OutboundTokens(
            app_id=APP_ID,
            password=SecretStr("x"),
            tenant_id=TENANT_ID,
            authority_url="http://login.example",
        )


def test_the_connector_refuses_other_tokens(fakes: TeamsFakes) -> None:
    request = urllib.request.Request(  # noqa: S310
        fakes.connector.service_url + "v3/conversations/19:abc@thread.tacv2/activities",
        data=b"{}",
        headers={"Authorization": "Bearer made-up"},
        method="POST",
    )
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(request)  # noqa: S310
    assert caught.value.code == 401
    assert fakes.connector.calls() == []


# -- the guard -----------------------------------------------------------------------------


def test_outbound_only_to_the_service_url_teams_gave() -> None:
    guard = ServiceUrlGuard("https://smba.trafficmanager.net/emea/")
    ok = "https://smba.trafficmanager.net/emea/v3/conversations/19:a@thread.tacv2/activities"
    assert guard.check(ok) == ok
    for bad in (
        "https://evil.example/emea/v3/conversations",
        "http://smba.trafficmanager.net/emea/v3/conversations",
        "https://smba.trafficmanager.net/amer/v3/conversations",
        "https://smba.trafficmanager.net/emea/../amer/v3",
        "https://smba.trafficmanager.net.evil.example/emea/v3",
    ):
        with pytest.raises(OutboundBlockedError):
            guard.check(bad)
    download = "https://smba.trafficmanager.net/amer/v3/attachments/x/views/original"
    assert guard.check_download(download) == download
    with pytest.raises(OutboundBlockedError):
        guard.check_download("https://evil.example/v3/attachments/x/views/original")


def test_the_guard_learns_service_urls_and_knows_none_at_first() -> None:
    guard = ServiceUrlGuard()
    with pytest.raises(OutboundBlockedError):
        guard.check("https://smba.trafficmanager.net/emea/v3/conversations")
    guard.remember("https://smba.trafficmanager.net/emea/")
    guard.remember("https://SMBA.trafficmanager.net/emea")
    assert guard.known == ("https://smba.trafficmanager.net/emea/",)
    guard.check("https://smba.trafficmanager.net/emea/v3/conversations")
    with pytest.raises(OutboundBlockedError):
        guard.remember("file:///etc/passwd")


def test_attachment_download_needs_the_bot_token(fakes: TeamsFakes) -> None:
    url = fakes.connector.add_attachment(b"\xff\xd8\xff\xe0 a jpeg", "image/jpeg")
    assert ServiceUrlGuard(fakes.connector.service_url).check_download(url) == url
    token = _tokens(fakes).token()
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})  # noqa: S310
    with urllib.request.urlopen(request) as response:  # noqa: S310
        assert response.headers["Content-Type"] == "image/jpeg"
        assert response.read() == b"\xff\xd8\xff\xe0 a jpeg"
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(url)  # noqa: S310
    assert caught.value.code == 401
    assert [c.kind for c in fakes.connector.calls()] == ["download"]
