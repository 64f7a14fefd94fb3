"""`select: auto` on pictures its rules were never tuned on: the held-out set, kept apart from the project.

tools/make_heldout_set.py made it, in two folders of <label>/ (SOURCES.md in each says where each picture came
from): tests/images/select-heldout/, from Debian's packages (flat-colour maps, schematics, screenshots, clip-art
and photographs on white, wallpapers), judged on every run; and shared/images/select-heldout/ beside the
repository, from public repositories kept out of the project's commits (map tiles, screenshots, a shop's products
on white, photographs of printed text, coloured-pencil drawings), judged where it is. The tuning set is
tests/images/select/.
The new pictures are split for good by a hash of their names: the rules may be tuned on the "tuning" half (as on
tests/images/select/), never on the "held-out" half, which alone decides. Every figure is printed (`-s`), with
the confusion table (label -> what the build says) of the held-out half and what it gets wrong.
The figure is that of a build with the `text` extra, which the test extra installs (without it, the pixels alone
agree less: the map tiles and photographed pages that only their lettering tells apart are animated).
"""

from __future__ import annotations

import zlib
from collections import Counter
from pathlib import Path

from mkdocs_animate_plugin.selection import lettering
from mkdocs_animate_plugin.selection.stills import judge

from .conftest import REPO
from .test_lettering import needs_extra
from .test_pixels import ANIMATED, FILES, SET

HELDOUT = [SET.with_name("select-heldout"), REPO.parent / "shared" / "images" / "select-heldout"]


def pictures(folders: list[Path], half: int) -> list[Path]:
    """The labelled pictures of the new set in `folders`: its tuning half (0) or its held-out half (1)."""
    files = sorted(p for folder in folders for p in folder.glob("*/*") if p.suffix in (".png", ".jpg"))
    return [p for p in files if zlib.crc32(p.name.encode()) % 2 == half]


def agreement(files: list[Path]) -> tuple[float, Counter, list[str]]:
    """How often animate/still agrees with the label; the (label, verdict) counts; what it gets wrong."""
    table: Counter = Counter()
    wrong = []
    for path in files:
        kind = judge(path)  # as a build judges it: the pixels, and the lettering where the `text` extra is
        table[path.parent.name, kind.name] += 1
        if kind.animate != (path.parent.name in ANIMATED):
            wrong.append(f"{path.parent.name}/{path.name} ({kind.name})")
    return 1 - len(wrong) / max(len(files), 1), table, wrong


def confusion(table: Counter) -> str:
    labels = sorted({label for label, _ in table})
    names = sorted({name for _, name in table})
    lines = [f"{'label':>12} " + " ".join(f"{name[:11]:>11}" for name in names)]
    for label in labels:
        lines.append(f"{label:>12} " + " ".join(f"{table[label, name] or '.':>11}" for name in names))
    return "\n".join(lines)


@needs_extra
def test_held_out_agreement_is_at_least_95_percent():
    tuned, _, _ = agreement(FILES)
    half, _, _ = agreement(pictures(HELDOUT, 0))
    held, table, wrong = agreement(pictures(HELDOUT, 1))
    judged = ", ".join(str(folder) for folder in HELDOUT if folder.is_dir())
    report = (
        f"held-out set: {judged}\nagreement ({lettering.signature()}): tuning set {tuned:.1%}, "
        f"tuning half of the new set {half:.1%}, held-out half {held:.1%} ({sum(table.values())} pictures)\n"
        f"{confusion(table)}\nwrong: {', '.join(wrong)}"
    )
    print("\n" + report)
    assert held >= 0.95, report
