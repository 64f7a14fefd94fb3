"""The cache's second level: an S3-compatible object store shared by every machine that builds the site (AWS S3,
Cloudflare R2, Google Cloud Storage's interoperability API, MinIO), given as `cache_url: s3://bucket/prefix`.

This module knows objects, not the cache's layout: `cache/layout.py` names them. What it promises:

- every object it writes carries the sha256 of its bytes (metadata `sha256`); whatever it reads is checked against
  it, and an object whose bytes do not match is deleted from the store and reported as damaged;
- a folder is listed once per build, when first asked about (a warm build that misses nothing never asks), so a
  build makes one listing, not one request per image;
- uploads run on a few threads in the background; `close` waits for them;
- `create` is a conditional write (`If-None-Match: *`): of two machines creating one object only one succeeds;
- the first failure to reach the store, or a refusal of the credentials, turns the store off for the rest of the
  build with one warning, and the build goes on with the local cache. A store that is down costs one connect
  timeout (short, and never retried), not one per image.

The endpoint comes from `AWS_ENDPOINT_URL` (or `AWS_ENDPOINT_URL_S3`), credentials and region from the standard
AWS chain. boto3 is imported on the first request; nothing of the credentials is logged, kept or written anywhere.
"""

from __future__ import annotations

import hashlib
import re
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mkdocs.plugins import get_plugin_logger

from ..disk import sha256
from ..errors import CacheError
from .shared_answers import EXISTS, NOT_FOUND, REFUSED, code_of, endpoint, reason

if TYPE_CHECKING:
    import concurrent.futures

log = get_plugin_logger("animate")

CONNECT_TIMEOUT = 3.0  # seconds: a store that is down costs this once, then is not asked again in the build
READ_TIMEOUT = 60.0
UPLOAD_THREADS = 4
CONNECTIONS = 16  # the pool shared by downloads (on the default executor's threads) and uploads
INSTALL = "pip install 'mkdocs-animate-plugin[s3]'"
# A bucket name as S3 allows it (3-63 lower-case letters, digits, dots and hyphens).
_BUCKET = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")


def parse_url(url: str) -> tuple[str, str]:
    """`s3://bucket/prefix` as (bucket, prefix without slashes at either end); ValueError names what is wrong."""
    scheme, sep, rest = url.partition("://")
    if not sep or scheme != "s3":
        raise ValueError(f"Expected s3://bucket/prefix but received: {url!r}")
    bucket, _, prefix = rest.partition("/")
    if not _BUCKET.match(bucket) or ".." in bucket:
        raise ValueError(
            f"Expected a bucket name of 3-63 lower-case letters, digits, dots and hyphens but received: {bucket!r}"
        )
    return bucket, prefix.strip("/")


class Remote:
    """One build's connection to the store. Safe to use from several threads.

    `read_only`: for dry runs, which look but never write (writes are silently skipped)."""

    def __init__(self, url: str, *, read_only: bool = False) -> None:
        self.url = url
        self.bucket, self.prefix = parse_url(url)
        self.read_only = read_only
        self.down: str | None = None  # why the store is off for the rest of the build
        self._warned = False  # one warning a build, whatever goes wrong
        self._errors: tuple[type[BaseException], ...] = ()  # botocore's, once it is imported: the store's answers
        self.requests = 0  # HTTP requests sent, for the benchmark and the tests
        self._client: Any = None
        self._lock = threading.Lock()
        self._listings: dict[str, set[str] | None] = {}
        self._uploads: concurrent.futures.ThreadPoolExecutor | None = None
        self._pending: list[concurrent.futures.Future] = []

    def __repr__(self) -> str:
        return f"Remote({self.url!r})"

    # --- the connection ------------------------------------------------------------------------------------

    def _s3(self) -> Any:
        with self._lock:
            if self._client is None:
                self._client = self._connect()
            return self._client

    def _connect(self) -> Any:
        try:
            import boto3
            from botocore.config import Config
        except ImportError:
            raise CacheError(f"cache_url needs boto3, which is not installed: {INSTALL}") from None
        config = Config(
            connect_timeout=CONNECT_TIMEOUT,
            read_timeout=READ_TIMEOUT,
            retries={"total_max_attempts": 1, "mode": "standard"},  # no retries: a failure turns the store off
            max_pool_connections=CONNECTIONS,
            # R2, GCS and MinIO know neither every checksum nor virtual hosts: sha256 metadata does the checking.
            request_checksum_calculation="when_required",
            response_checksum_validation="when_required",
            s3={"addressing_style": "path" if endpoint() else "auto"},
        )
        from botocore.exceptions import BotoCoreError, ClientError

        self._errors = (BotoCoreError, ClientError)
        client = boto3.session.Session().client("s3", config=config)
        client.meta.events.register("before-send.s3", self._count)
        return client

    def _count(self, **_: Any) -> None:
        with self._lock:
            self.requests += 1

    def _name(self, name: str) -> str:
        return f"{self.prefix}/{name}" if self.prefix else name

    def _failed(self, action: str, error: BaseException) -> str | None:
        """Sort a failure: the error code of an answer to handle (absent, exists), else None, after turning the
        store off (it cannot be reached, or refuses the credentials) or noting a failure of this one request."""
        if not type(error).__module__.startswith(("botocore", "urllib3")):
            raise error  # not the store's answer: a bug, which must show
        code, status = code_of(error)
        if code in NOT_FOUND or code in EXISTS:
            return code
        if code == "AccessDenied" and action in ("create", "write", "delete"):
            self._refuse_writes(f"AccessDenied ({status})")  # a key that may read only (previews, forks)
        elif code is None or code in REFUSED or status in (401, 403):
            self._turn_off(reason(error, code, status))
        else:  # a passing fault of one request (a 5xx): this object only, the store stays on
            log.debug(f"The shared cache {self.url} failed to {action}: {code} ({status})")
        return None

    def _turn_off(self, reason: str) -> None:
        with self._lock:
            if self.down is not None:
                return
            self.down = reason
            warned, self._warned = self._warned, True
        if not warned:
            log.warning(
                f"The shared cache {self.url} cannot be used ({reason}); this build goes on with the local cache"
            )

    def _refuse_writes(self, reason: str) -> None:
        with self._lock:
            if self.read_only:
                return
            self.read_only = True
            warned, self._warned = self._warned, True
        if not warned:
            log.warning(f"The shared cache {self.url} refuses writes ({reason}); this build only reads from it")

    def _usable(self, writing: bool = False) -> bool:
        return self.down is None and not (writing and self.read_only)

    # --- reading -------------------------------------------------------------------------------------------

    def names(self, folder: str, *, fresh: bool = False) -> set[str] | None:
        """The names (relative to the prefix) of the objects under `folder`: one listing per build, taken when
        first asked (`fresh`: a new one, not kept); None when the store cannot be read. Names this build writes or
        deletes are kept up to date."""
        if fresh:
            return self._list(folder)
        with self._lock:
            if folder in self._listings:
                return self._listings[folder]
        found = self._list(folder)
        with self._lock:
            return self._listings.setdefault(folder, found)

    def _list(self, folder: str) -> set[str] | None:
        if not self._usable():
            return None
        try:
            pages = self._s3().get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=self._name(folder))
            skip = len(self._name(""))
            return {item["Key"][skip:] for page in pages for item in page.get("Contents", ())}
        except CacheError as error:
            self._turn_off(str(error))
        except self._errors as error:  # botocore's errors: the store cannot be listed
            self._failed("list", error)
        return None

    def _noted(self, name: str, present: bool) -> None:
        with self._lock:  # upload threads note what they wrote while the build lists other folders
            folder = next((f for f in self._listings if name.startswith(f)), None)
            if folder is not None and self._listings[folder] is not None:
                (self._listings[folder].add if present else self._listings[folder].discard)(name)  # type: ignore[union-attr]

    def download(self, name: str, target: Path) -> tuple[dict[str, str] | None, str | None]:
        """Write the object to `target` and give its metadata, once its bytes match its sha256; or None and, for an
        object that did not match (it is deleted from the store), what was wrong with it."""
        if not self._usable():
            return None, None
        try:
            answer = self._s3().get_object(Bucket=self.bucket, Key=self._name(name))
            digest = hashlib.sha256()
            with open(target, "wb") as file:
                for chunk in answer["Body"].iter_chunks(1 << 20):
                    digest.update(chunk)
                    file.write(chunk)
        except CacheError as error:
            self._turn_off(str(error))
            return None, None
        except OSError:
            raise
        except self._errors as error:
            self._failed("read", error)
            return None, None
        meta = {k.lower(): v for k, v in (answer.get("Metadata") or {}).items()}
        if meta.get("sha256") != digest.hexdigest():
            problem = "its bytes do not match their sha256" if meta.get("sha256") else "it carries no sha256"
            self.delete(name)
            return None, f"{name} in the store was damaged: {problem}"
        return meta, None

    def read(self, name: str) -> tuple[bytes | None, str | None]:
        """A small object's bytes (a record, a text), checked as `download` checks a file."""
        import tempfile

        with tempfile.TemporaryDirectory(prefix="animate-s3-") as folder:
            meta, problem = self.download(name, Path(folder) / "object")
            return ((Path(folder) / "object").read_bytes() if meta is not None else None), problem

    # --- writing -------------------------------------------------------------------------------------------

    def create(self, name: str, body: bytes) -> bool | None:
        """Write `body` unless the object exists (`If-None-Match: *`): True when this call made it, False when it
        was there already, None when the store cannot be used."""
        if not self._usable(writing=True):
            return None
        try:
            self._put(name, body, {}, exclusive=True)
        except CacheError as error:
            self._turn_off(str(error))
            return None
        except self._errors as error:
            code = self._failed("create", error)
            return False if code in EXISTS else None
        return True

    def write(self, name: str, source: Path | bytes, meta: dict[str, str] | None = None, *, exclusive: bool = False,
              wait: bool = False) -> None:  # fmt: skip
        """Upload `source` (a file or bytes) under `name`, in the background unless `wait`; `exclusive`: only if
        no object has that name yet (a file named by its content is never uploaded twice)."""
        if not self._usable(writing=True):
            return
        if wait:
            self._upload(name, source, meta or {}, exclusive)
            return
        import concurrent.futures

        with self._lock:
            if self._uploads is None:
                self._uploads = concurrent.futures.ThreadPoolExecutor(UPLOAD_THREADS, thread_name_prefix="animate-s3")
            self._pending.append(self._uploads.submit(self._upload, name, source, meta or {}, exclusive))

    def _upload(self, name: str, source: Path | bytes, meta: dict[str, str], exclusive: bool) -> None:
        if not self._usable(writing=True):
            return
        try:
            self._put(name, source, meta, exclusive=exclusive)
        except OSError:
            pass  # the local file went away meanwhile (pruned, replaced): nothing to share
        except CacheError as error:
            self._turn_off(str(error))
        except self._errors as error:
            self._failed("write", error)

    def _put(self, name: str, source: Path | bytes, meta: dict[str, str], *, exclusive: bool) -> None:
        body = source if isinstance(source, bytes) else Path(source).read_bytes()
        extra = {"IfNoneMatch": "*"} if exclusive else {}
        metadata = {**meta, "sha256": sha256(body)}
        self._s3().put_object(Bucket=self.bucket, Key=self._name(name), Body=body, Metadata=metadata, **extra)
        self._noted(name, True)

    def delete(self, name: str) -> None:
        if not self._usable(writing=True):
            return
        try:
            self._s3().delete_object(Bucket=self.bucket, Key=self._name(name))
        except self._errors as error:
            self._failed("delete", error)
        self._noted(name, False)

    def close(self) -> None:
        """Wait for the uploads in flight (each bounded by the timeouts; once the store is off they are skipped)."""
        with self._lock:
            pending, self._pending = self._pending, []
            uploads, self._uploads = self._uploads, None
        for future in pending:
            try:
                future.result()
            except Exception as error:  # noqa: BLE001  the second level's trouble never fails the build
                self._turn_off(f"an upload failed: {type(error).__name__}: {error}")
        if uploads is not None:
            uploads.shutdown()
