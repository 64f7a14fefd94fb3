"""Save a web page so that it works from a folder: every image, stylesheet, script and font it uses is fetched
(bounded in size and time, http(s) or local files only) and every reference made relative to the folder.

Only the references are rewritten (start tags are rebuilt where one of their URLs changes); the text stays as it
was. Links to other pages become absolute, so that they still lead somewhere from the saved copy.
"""

from __future__ import annotations

import hashlib
import mimetypes
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit
from urllib.request import url2pathname

import httpx

from ..errors import FetchError
from ..markup.tags import elements, splice, start_tag

MAX_BYTES = 50 * 1024 * 1024
TIMEOUT = 30.0
# Attributes that name something the page loads, per element; `srcset` lists several.
_LOADS = {
    "img": ("src", "srcset"),
    "source": ("src", "srcset"),
    "video": ("poster", "src"),
    "audio": ("src",),
    "script": ("src",),
    "input": ("src",),
}
_LINKS = {"a": "href", "area": "href", "form": "action", "iframe": "src"}
_CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)|@import\s+(['"])([^'"]+)\3""", re.IGNORECASE)


class Fetcher:
    """http(s) and local files, never anything else; every download bounded in bytes and seconds."""

    def __init__(self, max_bytes: int = MAX_BYTES, timeout: float = TIMEOUT) -> None:
        self.max_bytes = max_bytes
        self.client = httpx.Client(timeout=httpx.Timeout(timeout), follow_redirects=True, max_redirects=5)

    def get(self, url: str) -> tuple[bytes, str, str]:
        """(content, final URL, content type) of `url`."""
        parts = urlsplit(url)
        if parts.scheme == "file":
            path = Path(url2pathname(unquote(parts.path)))
            try:
                if path.stat().st_size > self.max_bytes:
                    raise FetchError(f"{path} is over {self.max_bytes >> 20} MB")
                return path.read_bytes(), url, mimetypes.guess_type(path.name)[0] or ""
            except OSError as error:
                raise FetchError(f"{path}: {error.strerror or error}") from None
        if parts.scheme not in ("http", "https"):
            raise FetchError(f"{url[:80]}: only http(s) and local files are fetched")
        try:
            with self.client.stream("GET", url) as response:
                if response.status_code != 200:
                    raise FetchError(f"{url}: the server answered {response.status_code}")
                data = bytearray()
                for chunk in response.iter_bytes():
                    data += chunk
                    if len(data) > self.max_bytes:
                        raise FetchError(f"{url}: over {self.max_bytes >> 20} MB")
                kind = response.headers.get("content-type", "").split(";")[0].strip()
                return bytes(data), str(response.url), kind
        except httpx.HTTPError as error:
            raise FetchError(f"{url}: {type(error).__name__}: {error}") from None

    def close(self) -> None:
        self.client.close()


@dataclass
class Saver:
    """Saves what one page uses under `out/assets/`, each URL once."""

    out: Path
    fetcher: Fetcher
    local_files: bool = True  # False for a page from the web: it never gets to read a file of this machine
    saved: dict[str, str] = field(default_factory=dict)  # absolute URL -> path relative to out
    problems: list[str] = field(default_factory=list)

    def save(self, url: str) -> str | None:
        """The local path (relative to `out`) for `url`, fetching it once; None if it cannot be fetched."""
        url = url.split("#", 1)[0]
        if url in self.saved:
            return self.saved[url]
        if not self.local_files and urlsplit(url).scheme == "file":
            self.problems.append(f"{url[:80]}: a page from the web does not get to read local files")
            self.saved[url] = None  # type: ignore[assignment]
            return None
        try:
            data, final, kind = self.fetcher.get(url)
        except FetchError as error:
            self.problems.append(str(error))
            self.saved[url] = None  # type: ignore[assignment]
            return None
        name = _file_name(final, kind)
        relative = f"assets/{name}"
        if name.endswith(".css"):
            data = self.css(data.decode("utf-8", "replace"), final, "assets").encode()
        target = self.out / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        self.saved[url] = relative
        return relative

    def css(self, text: str, base: str, folder: str) -> str:
        """A stylesheet whose url() and @import point at saved copies, relative to `folder` (within out)."""

        def replace(match: re.Match) -> str:
            quote, ref = (match[1] or "", match[2]) if match[2] else (match[3], match[4])
            if ref.startswith(("data:", "#")):
                return match[0]
            local = self.save(urljoin(base, ref.strip()))
            if local is None:
                return match[0]
            relative = posixpath.relpath(local, folder)
            return f"url({quote}{relative}{quote})" if match[2] else f"@import {quote}{relative}{quote}"

        return _CSS_URL.sub(replace, text)


def _file_name(url: str, kind: str) -> str:
    """A short, unique, safe file name: a hash of the URL, and the URL's own name and extension."""
    path = unquote(urlsplit(url).path)
    stem, ext = posixpath.splitext(posixpath.basename(path))
    if not ext or len(ext) > 6:
        ext = mimetypes.guess_extension(kind) or ".bin" if kind else ".bin"
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", stem)[:40].strip("-") or "file"
    return f"{hashlib.sha1(url.encode()).hexdigest()[:10]}-{stem}{ext.lower()}"


def _srcset(value: str, rewrite) -> str:
    candidates = []
    for part in value.split(","):
        bits = part.strip().split(maxsplit=1)
        if bits:
            local = rewrite(bits[0])
            candidates.append(" ".join([local, *bits[1:]]))
    return ", ".join(candidates)


def localize(text: str, base: str, saver: Saver) -> str:
    """The page with everything it loads saved beside it and every reference relative to the folder.

    `base` is the page's own URL (http(s) or file:); a `<base href>` in the page changes it and is removed."""
    found = list(elements(text))
    for element in found:
        if element.name == "base" and element.get("href"):
            base = urljoin(base, element.get("href") or "")
    edits = []

    def local(url: str) -> str:
        url = url.strip()
        if not url or url.startswith(("data:", "#", "javascript:", "mailto:", "blob:")):
            return url
        saved = saver.save(urljoin(base, url))
        return saved if saved is not None else urljoin(base, url)

    for element in found:
        attrs: dict[str, str | None] = dict(element.attrs)
        name = element.name
        if name == "base":
            edits.append((element.start, element.end, ""))
            continue
        if name == "link" and attrs.get("href"):
            rel = (attrs.get("rel") or "").lower().split()
            if {"stylesheet", "icon", "preload", "apple-touch-icon", "manifest"} & set(rel):
                attrs["href"] = local(attrs["href"] or "")
            else:
                attrs["href"] = urljoin(base, attrs["href"] or "")
        for attribute in _LOADS.get(name, ()):
            if attrs.get(attribute):
                value = attrs[attribute] or ""
                attrs[attribute] = _srcset(value, local) if attribute == "srcset" else local(value)
        if name in _LINKS and attrs.get(_LINKS[name]):
            target = attrs[_LINKS[name]] or ""
            if not target.startswith(("#", "mailto:", "javascript:", "data:")):
                attrs[_LINKS[name]] = urljoin(base, target)
        if attrs.get("style"):
            attrs["style"] = saver.css(attrs["style"] or "", base, ".")
        if name == "style" and element.inner is not None:
            start, end = element.inner
            edits.append((start, end, saver.css(text[start:end], base, ".")))
        if attrs != element.attrs:
            edits.append((element.start, element.end, start_tag(name, attrs)))
    return splice(text, edits)
