"""A site's project read as the command needs it, from `mkdocs.yml` (MkDocs, or Zensical projects that keep it) or
`zensical.toml`: the animate plugin's options, where the sources are and how their pages are named in the site.

Zensical reads both files and ignores the MkDocs plugins it does not implement, this one included: the command
reads the options itself (`[project.plugins.animate]` in zensical.toml, `plugins: - animate: ...` in mkdocs.yml),
without MkDocs validating the rest of the file (a Zensical project's theme or extensions need not load in MkDocs).
"""

from __future__ import annotations

import os
import posixpath
from dataclasses import dataclass
from pathlib import Path

from ..errors import ProjectError

CONFIG_NAMES = ("zensical.toml", "mkdocs.yml", "mkdocs.yaml")
_OFF = (False, "false", "no", "off", 0)


@dataclass(frozen=True)
class Project:
    config_file: Path
    animate: dict  # the animate plugin's options as written ({} where it is not listed or has none)
    docs_dir: Path
    use_directory_urls: bool = True

    def site_paths(self, source: str) -> tuple[str, ...]:
        """Where the page of the source `source` (relative to docs_dir, e.g. `animals/cat.md`) ends up in the
        site, as MkDocs and Zensical name it."""
        folder, name = posixpath.split(source)
        stem = posixpath.splitext(name)[0]
        if stem in ("index", "README"):
            return (posixpath.join(folder, "index.html"),)
        if self.use_directory_urls:
            return (posixpath.join(folder, stem, "index.html"),)
        return (posixpath.join(folder, stem + ".html"),)

    def opted_out(self) -> set[str]:
        """The site paths of the pages whose front matter says `animate: false`."""
        from mkdocs.utils.meta import get_data

        found: set[str] = set()
        if not self.docs_dir.is_dir():
            return found
        for source in self.docs_dir.rglob("*.md"):
            try:
                text = source.read_text(encoding="utf-8-sig", errors="replace")
            except OSError:
                continue
            if not text.startswith("---"):
                continue
            _, meta = get_data(text)
            if meta.get("animate", True) in _OFF:
                found.update(self.site_paths(source.relative_to(self.docs_dir).as_posix()))
        return found


def beside(site_dir: Path) -> Path | None:
    """A project configuration in the folder of a built site, or in the folder above it (`site/` beside it)."""
    for folder in (site_dir, site_dir.parent):
        for name in CONFIG_NAMES:
            if (folder / name).is_file():
                return folder / name
    return None


def read_project(config_file: Path) -> Project:
    """The project of `config_file` (zensical.toml, or a mkdocs.yml of MkDocs or Zensical)."""
    config_file = Path(config_file)
    if config_file.suffix.lower() == ".toml":
        data = _read_toml(config_file)
        data = data.get("project", data)
    else:
        data = _read_yaml(config_file)
    if not isinstance(data, dict):
        raise ProjectError(f"{config_file}: expected a mapping of options at the top")
    animate = _plugin_options(data.get("plugins"), config_file)
    docs_dir = config_file.resolve().parent / str(data.get("docs_dir") or "docs")
    return Project(config_file, animate, docs_dir, data.get("use_directory_urls", True) not in _OFF)


def _plugin_options(plugins: object, config_file: Path) -> dict:
    """The animate entry of `plugins` (a list of names and one-key mappings, or a mapping), as written."""
    entries: list[tuple[object, object]] = []
    if isinstance(plugins, dict):
        entries = list(plugins.items())
    elif isinstance(plugins, list):
        for item in plugins:
            if isinstance(item, str):
                entries.append((item, {}))
            elif isinstance(item, dict):
                entries.extend(item.items())
    for name, options in entries:
        if name == "animate":
            if options is None:
                return {}
            if not isinstance(options, dict):
                raise ProjectError(f"{config_file}: the options of plugin 'animate' must be a mapping")
            return dict(options)
    return {}


def _read_toml(path: Path) -> dict:
    import tomllib

    try:
        with path.open("rb") as file:
            return tomllib.load(file)
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise ProjectError(f"{path}: {error}") from None


def _read_yaml(path: Path, depth: int = 0) -> dict:
    """mkdocs.yml as MkDocs reads it for our purpose: `!ENV` resolved, `INHERIT` merged, other tags (Python names
    of extensions' functions) read as nothing rather than imported."""
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    def env(loader: yaml.SafeLoader, node: yaml.Node) -> object:
        names = (
            [loader.construct_scalar(node)] if isinstance(node, yaml.ScalarNode) else loader.construct_sequence(node)
        )
        default = names.pop() if len(names) > 1 else None
        for name in names:
            if os.environ.get(str(name)) is not None:
                return yaml.safe_load(os.environ[str(name)])
        return default

    Loader.add_constructor("!ENV", env)
    Loader.add_multi_constructor("", lambda loader, suffix, node: None)
    Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)
    try:
        with path.open(encoding="utf-8-sig") as file:
            data = yaml.load(file, Loader=Loader) or {}
    except (OSError, yaml.YAMLError) as error:
        raise ProjectError(f"{path}: {error}") from None
    if isinstance(data, dict) and "INHERIT" in data and depth < 5:
        parent = _read_yaml(path.parent / str(data.pop("INHERIT")), depth + 1)
        data = _merge(parent, data)
    return data


def _merge(base: dict, over: dict) -> dict:
    merged = dict(base)
    for key, value in over.items():
        merged[key] = _merge(base[key], value) if isinstance(base.get(key), dict) and isinstance(value, dict) else value
    return merged
