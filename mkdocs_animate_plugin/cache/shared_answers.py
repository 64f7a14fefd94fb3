"""What the shared store's answers mean (`shared.Remote` acts on them): an error sorted by its S3 code and HTTP
status (absent, exists already, credentials refused), and why the store is off, in words that hold no credential."""

from __future__ import annotations

import os

# The S3 error codes (or HTTP statuses) of an object that is not there, of a conditional write that lost, and of a
# store that refuses these credentials (it is turned off for the build).
NOT_FOUND = {"NoSuchKey", "NotFound", "404"}
EXISTS = {"PreconditionFailed", "412", "ConditionalRequestConflict", "409"}
REFUSED = {"InvalidAccessKeyId", "SignatureDoesNotMatch", "AccessDenied", "ExpiredToken", "InvalidToken",
           "InvalidClientTokenId", "NoSuchBucket", "AllAccessDisabled", "AuthorizationHeaderMalformed"}  # fmt: skip


def endpoint() -> str | None:
    """The endpoint of an S3-compatible store other than AWS's (MinIO, R2, GCS), from the environment."""
    return os.environ.get("AWS_ENDPOINT_URL_S3") or os.environ.get("AWS_ENDPOINT_URL")


def code_of(error: BaseException) -> tuple[str | None, int | None]:
    """The S3 error code and HTTP status of an answer; (None, None) when no answer came (no connection)."""
    response = getattr(error, "response", None)
    if not isinstance(response, dict):
        return None, None
    status = response.get("ResponseMetadata", {}).get("HTTPStatusCode")
    return str(response.get("Error", {}).get("Code") or status), status


def reason(error: BaseException, code: str | None, status: int | None) -> str:
    """Why the store is off, in words that never hold a credential."""
    name = type(error).__name__
    if code is None:
        if name == "NoCredentialsError":
            return "no credentials were found (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, ~/.aws, or a role)"
        return f"{endpoint() or 'AWS S3'} could not be reached: {name}"
    if code == "NoSuchBucket":
        return "no such bucket"
    return f"the store refused the credentials: {code} ({status})"
