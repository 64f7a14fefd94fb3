"""The AI/ML API over HTTP, with its rules: 429, 5xx and dropped connections retried with exponential backoff and
jitter (Retry-After respected); 401 and 403 stop at once; the error bodies' messages and request ids in what is
raised, and never the key."""

from __future__ import annotations

import email.utils
import random
import time
from typing import TYPE_CHECKING, Any

from ...errors import ProviderAuthError, ProviderError

if TYPE_CHECKING:
    import httpx

RETRIES = 5  # attempts after the first, for 429, 5xx and dropped connections
BACKOFF = 1.0  # seconds before the first retry; doubled each time, with jitter
MAX_WAIT = 120.0  # the longest pause between two tries, whatever Retry-After says
OUT_OF_CREDITS = "the account is out of credits (top it up at aimlapi.com)"


class Http:
    """The provider's calls to its API (a mixin of `AimlapiProvider`: `base_url`, `_key`, `_http`)."""

    base_url: str
    _key: str | None
    _http: httpx.AsyncClient | None

    async def _call(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        import asyncio

        import httpx

        if self._http is None:
            self._http = httpx.AsyncClient(
                base_url=self.base_url,
                headers={"Authorization": f"Bearer {self._key}"},
                timeout=httpx.Timeout(60, connect=15),
            )
        for attempt in range(RETRIES + 1):
            try:
                response = await self._http.request(method, path, **kwargs)
            except httpx.TransportError as error:
                if attempt == RETRIES:
                    raise ProviderError(
                        f"{method} {path} could not reach the provider: {type(error).__name__}"
                    ) from None
                await asyncio.sleep(backoff(attempt))
                continue
            if response.status_code == 401:
                raise ProviderAuthError(f"the API key was refused (401 from {method} {path}){_request_id(response)}")
            if response.status_code == 403:
                raise ProviderAuthError(
                    f"the API key was refused (403 from {method} {path}): {OUT_OF_CREDITS}{_request_id(response)}"
                )
            if response.status_code == 429 or response.status_code >= 500:
                if attempt == RETRIES:
                    raise ProviderError(
                        self._safe(
                            f"{method} {path} answered {response.status_code} after {RETRIES + 1} tries: "
                            f"{_message(response)}{_request_id(response)}"
                        )
                    )
                await asyncio.sleep(backoff(attempt, response.headers.get("retry-after")))
                continue
            if response.status_code >= 400:
                raise ProviderError(
                    self._safe(
                        f"{method} {path} was refused ({response.status_code}): {_message(response)}"
                        f"{_request_id(response)}"
                    )
                )
            try:
                return response.json()
            except ValueError:
                raise ProviderError(f"{method} {path} answered {response.status_code} with no JSON") from None
        raise AssertionError("unreachable")

    def _safe(self, text: str) -> str:
        """Whatever the provider echoes back, the key never leaves in a message."""
        return text.replace(self._key, "***") if self._key else text


def backoff(attempt: int, retry_after: str | None = None) -> float:
    """Seconds before the next try: the server's Retry-After if it gave one, else 1, 2, 4... s with jitter."""
    if retry_after:
        try:
            return min(MAX_WAIT, max(0.0, float(retry_after)))
        except ValueError:
            when = email.utils.parsedate_to_datetime(retry_after) if retry_after else None
            if when is not None:
                return min(MAX_WAIT, max(0.0, when.timestamp() - time.time()))
    return min(MAX_WAIT, BACKOFF * 2**attempt * (0.5 + random.random()))


def _request_id(response: httpx.Response) -> str:
    """ "; requestId ..." when the error body carries one: what the provider's support asks for."""
    try:
        body = response.json()
    except ValueError:
        return ""
    found = body.get("requestId") or body.get("request_id") if isinstance(body, dict) else None
    return f" (requestId {found})" if isinstance(found, (str, int)) and found else ""


def _message(response: httpx.Response) -> str:
    """The error body's message, in any of the shapes the provider answers with, short enough for a warning."""
    try:
        body = response.json()
    except ValueError:
        return response.text[:200]
    if isinstance(body, dict):
        error = body.get("error") or body.get("message") or body
        if isinstance(error, dict):
            error = error.get("message") or error
        return str(error)[:300]
    return str(body)[:300]
