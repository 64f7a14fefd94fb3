"""Animations into the site: each file put into the site's folder of animations once, however many pages show it,
and the pause script and style linked from every page of a site that shows any."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from ..cache import Entry, Store
from ..errors import AnimateError
from . import rewrite

ASSET_DIR = "assets/animate"  # the site's folder of animations, with the script and style


def up_to_root(page_dir: str) -> str:
    """The relative URL from a page's folder (a site path such as "animals/cat") back to the site's root."""
    return "../" * (page_dir.count("/") + 1) if page_dir else ""


class Publisher:
    def __init__(self, site_dir: Path, store: Store) -> None:
        self.site_dir = site_dir
        self.store = store
        self._copied: set[str] = set()  # animation keys already put into the site
        self._folder: str | None = None

    def url(self, entry: Entry, page_dir: str) -> str:
        """The animation's URL from a page in `page_dir`, its file put into the site first."""
        self.put(entry)
        return f"{up_to_root(page_dir)}{ASSET_DIR}/{entry.file}"

    def link_assets(self, text: str, page_dir: str) -> str:
        self._asset_folder()  # a page may link them before any animation is put into the site
        assets = up_to_root(page_dir) + ASSET_DIR
        return rewrite.add_assets(text, f"{assets}/{rewrite.CSS_FILE}", f"{assets}/{rewrite.JS_FILE}")

    def put(self, entry: Entry) -> None:
        """Put the animation's file into the site, once: a hard link where the cache and the site share a disk (no
        bytes copied: it is what keeps a warm build fast), else a copy."""
        if entry.key in self._copied:
            return
        source, target = self.store.path(entry), os.path.join(self._asset_folder(), entry.file)
        try:
            try:
                os.link(source, target)
            except FileExistsError:  # left by an earlier build into the same folder (`--dirty`, `serve`)
                os.unlink(target)
                os.link(source, target)
        except OSError:
            try:
                shutil.copyfile(source, target)
            except OSError as error:
                raise AnimateError(f"couldn't copy {entry.file} into the site: {error}") from None
        self._copied.add(entry.key)

    def _asset_folder(self) -> str:
        """The site's folder of animations, with the pause script and style: written once per build."""
        if self._folder is None:
            folder = self.site_dir / ASSET_DIR
            try:
                folder.mkdir(parents=True, exist_ok=True)
                for name in (rewrite.CSS_FILE, rewrite.JS_FILE):
                    shutil.copyfile(rewrite.ASSETS / name, folder / name)
            except OSError as error:
                raise AnimateError(f"couldn't copy the animations into {folder}: {error.strerror or error}") from None
            self._folder = os.fspath(folder)
        return self._folder
