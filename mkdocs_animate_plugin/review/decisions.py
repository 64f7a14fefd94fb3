"""Review before it goes live: the editor's decisions, kept in the repository beside mkdocs.yml.

    animate-review.yml (`review_file`, beside mkdocs.yml, committed)

        docs/img/cat.png:
          retakes: 1
          clips:
          - {take: 1, clip: 3f9a0c1d2e3f4a5b6c7d, state: rejected}
          - {take: 2, clip: 9e8d7c6b5a4f3e2d1c0b, state: approved}

    A decision belongs to a clip: its id (`Job.clip`) hashes what makes the clip (the image's bytes, the provider
    and its model, the prompt attribute, the duration, the loop and the take), never how it is encoded (`output`,
    `width`, `fps`). A changed image or a retake is a new clip, with no decision yet: pending. `retakes: N` moves
    every take of that image N past the page's own, so the next build asks the provider for a new clip.

    What the last build showed, for the gallery and `--list`, is the build's record (record.py).

Nothing here imports MkDocs: the pipeline and the command log what `Review.problems` says.
"""

from __future__ import annotations

import json
import os
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..disk import write_whole
from ..errors import ReviewError

STATES = ("approved", "rejected")  # what the file holds; a clip not in it is "pending"
PENDING = "pending"
HEADER = (
    "# Review decisions of mkdocs-animate: commit this file beside mkdocs.yml.\n"
    "# Each clip of an image: its take, its id and approved or rejected; a clip not listed is pending.\n"
    "# retakes: N asks for N takes past the page's own (the next build makes a new clip).\n"
)
_CLIP_ID = re.compile(r"^[0-9a-f]{6,64}$")
_lock = threading.Lock()  # one decision at a time within a process (the gallery serves several threads)


def image_name(path: str | os.PathLike[str], root: Path) -> str:
    """How the review file names an image: its path relative to the folder of mkdocs.yml, with `/`."""
    absolute = os.path.normpath(os.path.abspath(path))
    try:
        return (
            Path(os.path.relpath(absolute, root)).as_posix() if _inside(absolute, root) else Path(absolute).as_posix()
        )
    except ValueError:  # another drive on Windows
        return Path(absolute).as_posix()


def _inside(path: str, root: Path) -> bool:
    root_text = os.path.normpath(os.path.abspath(root))
    return path == root_text or path.startswith(root_text.rstrip(os.sep) + os.sep)


@dataclass
class Decision:
    image: str
    take: int
    clip: str
    state: str


@dataclass
class Review:
    """The review file as read: decisions by clip id, retakes by image, and what was wrong in it (by line)."""

    path: Path | None
    decisions: dict[str, Decision] = field(default_factory=dict)
    retakes: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    broken: bool = False  # not YAML at all: nothing in it is read, and nothing is written over it

    @property
    def root(self) -> Path:
        return self.path.parent if self.path is not None else Path.cwd()

    # --- reading ------------------------------------------------------------------------------------------

    @classmethod
    def load(cls, path: Path | None) -> Review:
        """The file at `path` (none there: no decision yet). A mistake is one problem naming its line, and the
        entry it spoils counts as pending; the rest of the file is read."""
        review = cls(path)
        if path is None or not path.is_file():
            return review
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            review.broken = True
            review.problems.append(f"{path}: cannot be read ({error}); every animation counts as pending")
            return review
        try:
            root = yaml.compose(text, Loader=yaml.SafeLoader)
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
            where = f"{path}:{mark.line + 1}" if mark is not None else str(path)
            problem = getattr(error, "problem", None) or str(error)
            review.broken = True
            review.problems.append(f"{where}: not valid YAML ({problem}); every animation counts as pending")
            return review
        if root is None:
            return review
        if not isinstance(root, yaml.MappingNode):
            review.broken = True
            review._problem(root, "expected images as keys (docs/img/cat.png: ...); every animation counts as pending")
            return review
        for key_node, value in root.value:
            review._read_image(key_node, value)
        return review

    def _problem(self, node: yaml.Node, message: str) -> None:
        self.problems.append(f"{self.path}:{node.start_mark.line + 1}: {message}")

    def _read_image(self, key_node: yaml.Node, value: yaml.Node) -> None:
        if not isinstance(key_node, yaml.ScalarNode) or not key_node.value:
            self._problem(key_node, "expected an image path as the key; its entries count as pending")
            return
        image = key_node.value
        if not isinstance(value, yaml.MappingNode):
            self._problem(value, f"{image}: expected 'retakes' and 'clips' under the image; it counts as pending")
            return
        for name_node, item in value.value:
            name = name_node.value if isinstance(name_node, yaml.ScalarNode) else None
            if name == "retakes":
                number = _whole(item)
                if number is None or number < 0:
                    self._problem(item, f"{image}: retakes must be a whole number of at least 0; it is ignored")
                else:
                    self.retakes[image] = number
            elif name == "clips":
                if not isinstance(item, yaml.SequenceNode):
                    self._problem(
                        item, f"{image}: clips must be a list of {{take, clip, state}}; they count as pending"
                    )
                    continue
                for entry in item.value:
                    self._read_clip(image, entry)
            else:
                self._problem(name_node, f"{image}: unknown field {name!r} (expected retakes or clips); it is ignored")

    def _read_clip(self, image: str, node: yaml.Node) -> None:
        pending = "this entry counts as pending"
        if not isinstance(node, yaml.MappingNode):
            self._problem(node, f"{image}: expected {{take: N, clip: ID, state: approved|rejected}}; {pending}")
            return
        fields = {k.value: v for k, v in node.value if isinstance(k, yaml.ScalarNode)}
        unknown = sorted(set(fields) - {"take", "clip", "state"})
        if unknown:
            self._problem(node, f"{image}: unknown field {unknown[0]!r} (expected take, clip, state); {pending}")
            return
        take = _whole(fields["take"]) if "take" in fields else None
        clip = fields["clip"].value if isinstance(fields.get("clip"), yaml.ScalarNode) else None
        state = fields["state"].value if isinstance(fields.get("state"), yaml.ScalarNode) else None
        if take is None or take < 1:
            self._problem(fields.get("take", node), f"{image}: take must be a whole number of at least 1; {pending}")
        elif clip is None or not _CLIP_ID.match(str(clip)):
            self._problem(fields.get("clip", node), f"{image}: clip must be the clip's id as listed; {pending}")
        elif state not in (*STATES, PENDING):
            self._problem(
                fields.get("state", node),
                f"{image}: state must be approved or rejected, not {state!r}; {pending}",
            )
        elif state != PENDING:
            self.decisions[clip] = Decision(image, take, clip, state)

    # --- asking -------------------------------------------------------------------------------------------

    def state(self, clip: str) -> str:
        decision = self.decisions.get(clip)
        return decision.state if decision else PENDING

    def offset(self, path: str | os.PathLike[str]) -> int:
        """How many takes past the page's own the image at `path` asks for."""
        return self.retakes.get(image_name(path, self.root), 0) if self.retakes else 0

    def identity(self) -> dict[str, int]:
        """What of the file changes which clips a build asks for (enters the page fingerprint)."""
        return dict(sorted((image, n) for image, n in self.retakes.items() if n))

    # --- deciding -----------------------------------------------------------------------------------------

    def decide(self, clip: dict[str, Any], action: str) -> str:
        """Record `action` (approve, reject, retake, pending) for a clip of the record, and write the file at once.
        Retake rejects this clip and asks for the next take of its image. The new state is returned."""
        if self.path is None:
            raise ReviewError("no review file is set")
        if self.broken or self.problems:
            raise ReviewError(f"{self.problems[0]}: fix the file first, nothing was written")
        image, take, key = clip["image"], int(clip["take"]), clip["key"]
        if action == "approve":
            self.decisions[key] = Decision(image, take, key, "approved")
        elif action in ("reject", "retake"):
            self.decisions[key] = Decision(image, take, key, "rejected")
        elif action == "pending":
            self.decisions.pop(key, None)
        else:
            raise ReviewError(f"unknown decision {action!r} (approve, reject, retake)")
        if action == "retake":
            # The take after this clip's, however often the button is pressed before the next build.
            wanted = take - int(clip.get("page_take", 1)) + 1
            self.retakes[image] = max(self.retakes.get(image, 0), wanted)
        self.save()
        return self.state(key)

    def render(self) -> str:
        """The file's text: images in order, then each image's clips by take; one line a decision."""
        images = sorted({d.image for d in self.decisions.values()} | {i for i, n in self.retakes.items() if n})
        lines = [HEADER.rstrip("\n")]
        for image in images:
            lines.append(f"{_scalar(image)}:")
            if self.retakes.get(image):
                lines.append(f"  retakes: {self.retakes[image]}")
            clips = sorted((d for d in self.decisions.values() if d.image == image), key=lambda d: (d.take, d.clip))
            if clips:
                lines.append("  clips:")
                lines.extend(f"  - {{take: {d.take}, clip: {_scalar(d.clip)}, state: {d.state}}}" for d in clips)
        return "\n".join(lines) + "\n"

    def save(self) -> None:
        """Write the whole file under a temporary name, then rename it: a killed server never leaves half a file."""
        assert self.path is not None
        try:
            write_whole(self.path, self.render())
        except OSError as error:
            raise ReviewError(f"couldn't write {self.path}: {error}") from None


def decide(path: Path, clip: dict[str, Any], action: str) -> str:
    """Read the file afresh (an editor may have changed it by hand meanwhile), record one decision, write it."""
    with _lock:
        return Review.load(path).decide(clip, action)


def _whole(node: yaml.Node) -> int | None:
    if isinstance(node, yaml.ScalarNode) and re.fullmatch(r"[0-9]+", node.value or ""):
        return int(node.value)
    return None


def _scalar(text: str) -> str:
    """`text` as a YAML scalar: bare where YAML reads it back as that same string, else quoted (JSON is YAML)."""
    try:
        plain = re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9_./@+~-]*", text) and yaml.safe_load(text) == text
    except yaml.YAMLError:
        plain = False
    return text if plain else json.dumps(text, ensure_ascii=False)
