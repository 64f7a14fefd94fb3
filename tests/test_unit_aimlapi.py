"""The AI/ML API's helpers in-process: the backoff (Retry-After in seconds or as an HTTP date), the messages of the
documented error bodies, and `_call`'s retries, against `httpx.MockTransport`."""

from __future__ import annotations

import asyncio
import email.utils
import time

import httpx
import pytest

from mkdocs_animate_plugin.errors import ProviderAuthError, ProviderError
from mkdocs_animate_plugin.providers.aimlapi import AimlapiOptions, AimlapiProvider
from mkdocs_animate_plugin.providers.aimlapi.client import MAX_WAIT, RETRIES, _message, backoff


def test_backoff_doubles_with_jitter_and_is_bounded():
    for attempt in range(4):
        assert 0.5 * 2**attempt <= backoff(attempt) <= 1.5 * 2**attempt
    assert backoff(30) == MAX_WAIT


@pytest.mark.parametrize(
    ("retry_after", "low", "high"),
    [("7", 7, 7), ("0", 0, 0), ("-3", 0, 0), ("100000", MAX_WAIT, MAX_WAIT), ("2.5", 2.5, 2.5)],
)
def test_backoff_respects_retry_after_seconds(retry_after, low, high):
    assert low <= backoff(0, retry_after) <= high


def test_backoff_respects_retry_after_as_an_http_date():
    later = email.utils.formatdate(time.time() + 30, usegmt=True)
    assert 27 <= backoff(0, later) <= 31
    earlier = email.utils.formatdate(time.time() - 30, usegmt=True)
    assert backoff(0, earlier) == 0


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"error": {"message": "Insufficient balance", "code": "payment_required"}}, "Insufficient balance"),
        ({"error": "model not found"}, "model not found"),
        ({"message": ["image_url must be a URL"], "statusCode": 400}, "['image_url must be a URL']"),
        ({"detail": "odd"}, "{'detail': 'odd'}"),
        (["a", "list"], "['a', 'list']"),
    ],
)
def test_message_of_the_documented_error_bodies(body, message):
    assert _message(httpx.Response(400, json=body)) == message


def test_message_of_a_body_that_is_not_json():
    assert _message(httpx.Response(502, text="<html>Bad gateway</html>" + "x" * 500)) == (
        "<html>Bad gateway</html>" + "x" * 176
    )


class Settings:
    duration = 5
    timeout = 60
    api_key = "sk-secret"

    def __init__(self) -> None:
        options = AimlapiOptions()
        options.load_dict({})
        options.validate()
        self.provider_options = options


def provider_with(responses: list[httpx.Response], calls: list[httpx.Request]) -> AimlapiProvider:
    """The provider, its HTTP client answering `responses` in turn."""

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return responses[min(len(calls), len(responses)) - 1]

    return provider_handled_by(handler)


def provider_handled_by(handler) -> AimlapiProvider:
    provider = AimlapiProvider(Settings(), cache=None)  # type: ignore[arg-type]
    provider.handler = handler  # type: ignore[attr-defined]
    return provider


@pytest.fixture(autouse=True)
def mock_transport(monkeypatch):
    """The provider's own client, made as it makes it, with `httpx.MockTransport` for the network."""
    made = httpx.AsyncClient

    def client(**kwargs):
        return made(transport=httpx.MockTransport(lambda request: handlers[-1](request)), **kwargs)

    handlers: list = []
    monkeypatch.setattr(httpx, "AsyncClient", client)
    original = AimlapiProvider._call

    async def _call(self, *args, **kwargs):
        handlers.append(self.handler)
        return await original(self, *args, **kwargs)

    monkeypatch.setattr(AimlapiProvider, "_call", _call)


@pytest.fixture(autouse=True)
def no_waiting(monkeypatch):
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    monkeypatch.setattr(asyncio, "sleep", sleep)
    return waits


def call(provider: AimlapiProvider):
    async def run():
        try:
            return await provider._call("GET", "/v2/video/generations", params={"generation_id": "g"})
        finally:
            await provider.aclose()

    return asyncio.run(run())


@pytest.mark.parametrize("status", [429, 500, 502, 503])
def test_call_retries_busy_and_server_errors(status, no_waiting):
    calls: list[httpx.Request] = []
    busy = httpx.Response(status, headers={"Retry-After": "3"}, json={"error": "busy"})
    provider = provider_with([busy, busy, httpx.Response(200, json={"status": "completed"})], calls)
    assert call(provider) == {"status": "completed"}
    assert len(calls) == 3 and no_waiting == [3.0, 3.0]
    assert calls[0].headers["authorization"] == "Bearer sk-secret"
    assert calls[0].url == "https://api.aimlapi.com/v2/video/generations?generation_id=g"


def test_call_gives_up_after_the_retries(no_waiting):
    calls: list[httpx.Request] = []
    provider = provider_with([httpx.Response(503)], calls)
    with pytest.raises(ProviderError, match=r"GET /v2/video/generations answered 503 after 6 tries"):
        call(provider)
    assert len(calls) == RETRIES + 1


@pytest.mark.parametrize("status", [401, 403])
def test_call_stops_at_once_on_a_refused_key(status):
    calls: list[httpx.Request] = []
    provider = provider_with([httpx.Response(status, json={"error": "no"})], calls)
    with pytest.raises(ProviderAuthError, match=f"the API key was refused \\({status} from GET"):
        call(provider)
    assert len(calls) == 1


def test_a_refusal_names_the_reason_and_never_the_key():
    calls: list[httpx.Request] = []
    body = {"error": {"message": "bad key sk-secret in body"}}
    provider = provider_with([httpx.Response(422, json=body)], calls)
    with pytest.raises(ProviderError) as error:
        call(provider)
    assert str(error.value) == "GET /v2/video/generations was refused (422): bad key *** in body"
    assert len(calls) == 1


def test_a_dropped_connection_is_retried():
    calls: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        if len(calls) == 1:
            raise httpx.ConnectError("refused")
        return httpx.Response(200, json={"id": "g"})

    provider = provider_handled_by(handler)
    assert call(provider) == {"id": "g"} and len(calls) == 2
