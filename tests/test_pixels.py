"""The local judgement of ``select: auto`` agrees with the labels of a set of real pictures.

tests/images/select/<label>/ holds real photographs, paintings, cartoons, screenshots, charts, diagrams, text,
QR codes, logos and badges (SOURCES.md says where each comes from; tools/make_select_set.py remakes them).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from mkdocs_animate_plugin.selection.pixels import SAMPLE_WIDTH, Kind, kind_of
from mkdocs_animate_plugin.video import picture as images

SET = Path(__file__).parent / "images" / "select"
ANIMATED = {"photograph", "illustration"}
FILES = sorted(p for p in SET.glob("*/*") if p.suffix in (".png", ".jpg"))


def sample(path: Path) -> Image.Image:
    """The copy the plugin judges, made as the plugin makes it."""
    return images.load(path, SAMPLE_WIDTH)


@pytest.fixture(scope="module")
def verdicts() -> dict[Path, Kind]:
    with_images = {}
    for path in FILES:
        with_images[path] = kind_of(sample(path))
    return with_images


def test_the_set_is_there():
    labels = {p.parent.name for p in FILES}
    assert labels == {"photograph", "illustration", "screenshot", "diagram", "chart", "text", "qr", "logo", "map"}
    assert len(FILES) >= 80


def test_animate_or_still_agrees_with_the_labels(verdicts):
    wrong = [p for p, k in verdicts.items() if k.animate != (p.parent.name in ANIMATED)]
    table: dict[tuple[str, str], int] = {}
    for p, k in verdicts.items():
        table[p.parent.name, k.name] = table.get((p.parent.name, k.name), 0) + 1
    report = "\n".join(f"  {label:>12} -> {name:<12} {n}" for (label, name), n in sorted(table.items()))
    report += "\nwrong: " + ", ".join(f"{p.parent.name}/{p.name} ({verdicts[p].name})" for p in wrong)
    assert 1 - len(wrong) / len(verdicts) >= 0.95, report


NAMES = {
    "screenshot": "screenshot",
    "diagram": "diagram",
    "chart": "chart",
    "text": "text",
    "qr": "QR code",
    "logo": "logo",
    "map": "map",
}


def test_still_pictures_are_named_as_labelled(verdicts):
    """The summary names what was left still: the name must agree with the label for most instruments."""
    still = {p: k for p, k in verdicts.items() if p.parent.name in NAMES}
    table: dict[str, dict[str, int]] = {}
    for p, k in still.items():
        row = table.setdefault(p.parent.name, {})
        row[k.name] = row.get(k.name, 0) + 1
    names = sorted({n for row in table.values() for n in row})
    report = "label -> name\n" + f"{'':>12} " + " ".join(f"{n[:10]:>10}" for n in names) + "   right\n"
    for label, row in sorted(table.items()):
        report += f"{label:>12} " + " ".join(f"{row.get(n, 0) or '.':>10}" for n in names)
        report += f"   {row.get(NAMES[label], 0)}/{sum(row.values())}\n"
    report += "wrong: " + ", ".join(
        f"{p.parent.name}/{p.name} ({k.name})" for p, k in still.items() if k.name != NAMES[p.parent.name]
    )
    right = sum(k.name == NAMES[p.parent.name] for p, k in still.items())
    assert right / len(still) >= 0.85, report


def test_the_shared_photographs_are_animated(verdicts):
    shared = [p for p in verdicts if p.name.startswith("shared-")]
    assert shared
    assert all(verdicts[p].animate for p in shared), {p.name: verdicts[p].name for p in shared}


def test_the_names_are_short_nouns(verdicts):
    names = {k.name for k in verdicts.values()}
    assert names <= {"photograph", "illustration", "screenshot", "diagram", "chart", "text", "QR code", "logo", "map"}
    assert all(k.animate == (k.name in ANIMATED) for k in verdicts.values())


def test_the_judgement_is_deterministic(verdicts):
    for path in FILES[::7]:
        assert kind_of(sample(path)) == verdicts[path]


@pytest.mark.parametrize("name", ["shared-flower.jpg", "shared-coffee.jpg", "skimage-astronaut.jpg"])
def test_the_decision_does_not_depend_on_the_size(name, tmp_path):
    big, small = resized(SET / "photograph" / name, 640, tmp_path), resized(SET / "photograph" / name, 200, tmp_path)
    assert kind_of(sample(big)).animate and kind_of(sample(small)).animate


@pytest.mark.parametrize(
    "label,name",
    [
        ("illustration", "emoji-whale.jpg"),
        ("screenshot", "mkdocs-material-index.png"),
        ("chart", "bar.png"),
        ("logo", "simpleicons-python.png"),
    ],
)
def test_flat_pictures_keep_their_decision_at_two_sizes(label, name, tmp_path):
    at_640 = sample(resized(SET / label / name, 640, tmp_path))
    at_200 = sample(resized(SET / label / name, 200, tmp_path))
    assert kind_of(at_640).animate == kind_of(at_200).animate == (label in ANIMATED)


@pytest.mark.parametrize("name", ["shared-chelsea.jpg", "shared-grass.jpg"])
def test_a_pale_object_photographed_on_white_is_animated_and_its_flat_drawing_is_not(name, tmp_path):
    """A shop's white shirt on white: few colours, and the white ground dilutes its shading; yet no two
    neighbouring pixels of the object are alike, as they are all over a flat drawing of the same outline."""
    with Image.open(SET / "photograph" / name) as image:
        pale = image.convert("L").point(lambda v: 150 + v * 90 // 255)  # a pale object: levels 150..240
    width, height = pale.size
    outline = Image.new("L", pale.size, 0)
    ImageDraw.Draw(outline).ellipse((width * 0.2, height * 0.1, width * 0.8, height * 0.9), fill=255)
    white = Image.new("L", pale.size, 255)
    for label, figure in (("photograph", pale), ("drawing", Image.new("L", pale.size, 200))):
        Image.composite(figure, white, outline).convert("RGB").save(tmp_path / f"{label}.png")
    assert kind_of(sample(tmp_path / "photograph.png")).animate
    assert not kind_of(sample(tmp_path / "drawing.png")).animate


def resized(path: Path, width: int, folder: Path) -> Path:
    """The same picture saved at another width, as an editor might have exported it."""
    with Image.open(path) as image:
        copy = image.convert("RGB").resize((width, round(image.height * width / image.width)), Image.LANCZOS)
    target = folder / f"{width}-{path.stem}.png"
    copy.save(target)
    return target
