"""The lettering signal of `select: auto` (the `text` extra): a labelled picture is an instrument, however
photographic its pixels look. Without the extra, the pixels alone decide (test_pixels.py)."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from mkdocs_animate_plugin.selection import lettering
from mkdocs_animate_plugin.selection.pixels import LETTERED, SAMPLE_WIDTH, kind_of
from mkdocs_animate_plugin.selection.stills import judge
from mkdocs_animate_plugin.video import picture

from .conftest import PHOTOS

SET = Path(__file__).parent / "images" / "select"
ANIMATED = {"photograph", "illustration"}
# Under CI=true the test extra brings it, so these must run there
needs_extra = pytest.mark.skipif(
    lettering.model() is None and os.environ.get("CI") != "true",
    reason="the `text` extra is not installed (pip install 'mkdocs-animate-plugin[text]'): pixels alone decide",
)


def test_patches_are_counted_once_however_they_touch():
    mask = np.zeros((12, 12), bool)
    mask[1:3, 1:6] = True  # a word
    mask[3, 6] = True  # touching it only at a corner: the same patch
    mask[6:8, 1:11] = True  # a second line
    mask[10, 10] = True  # a speck, below the smallest size
    assert lettering.count(mask, smallest=3) == 2
    assert lettering.count(mask, smallest=1) == 3


@needs_extra
def test_a_page_has_many_patches_of_lettering_and_a_photograph_few():
    assert lettering.regions(SET / "screenshot" / "mkdocs-readthedocs-index.png") >= LETTERED
    assert lettering.regions(SET / "text" / "prose-1.png") >= LETTERED
    for name in ("shared-chelsea.jpg", "skimage-astronaut.jpg", "mpl-grace_hopper.jpg"):
        assert lettering.regions(SET / "photograph" / name) < LETTERED


@needs_extra
def test_lettering_leaves_still_a_screenshot_the_pixels_would_animate():
    path = SET / "screenshot" / "mkdocs-readthedocs-index.png"
    assert kind_of(picture.load(path, SAMPLE_WIDTH)).animate  # its pixels alone look like an illustration
    assert not judge(path).animate


@needs_extra
def test_with_lettering_the_tuning_set_agrees_at_least_as_well():
    files = sorted(p for p in SET.glob("*/*") if p.suffix in (".png", ".jpg"))
    alone = sum(kind_of(picture.load(p, SAMPLE_WIDTH)).animate == (p.parent.name in ANIMATED) for p in files)
    both = sum(judge(p).animate == (p.parent.name in ANIMATED) for p in files)
    assert both >= alone and both / len(files) >= 0.96, (alone, both, len(files))


def test_a_verdict_cached_by_other_signals_is_judged_again(tmp_path, monkeypatch):
    """Installing (or removing) the extra must not replay verdicts the other signals made."""
    from mkdocs_animate_plugin.cache import Store
    from mkdocs_animate_plugin.selection import pixels, stills

    path = str(SET / "photograph" / "shared-chelsea.jpg")
    calls = []
    real = pixels.kind_of
    monkeypatch.setattr(pixels, "kind_of", lambda image, *more: calls.append(1) or real(image, *more))
    for signals in ("pixels", "text:a-model.onnx", "text:a-model.onnx"):
        monkeypatch.setattr(lettering, "signature", lambda signals=signals: signals)
        store = Store(tmp_path / "cache")
        found = stills.Stills(store)
        assert found.kind(path, found.get(path)).animate
        store.close()
    assert len(calls) == 2, "judged under each signature once, then remembered"


@needs_extra
def test_a_build_judges_its_pictures_ahead_in_a_process_of_their_own(site, monkeypatch):
    """The model reads each picture in a process that has ended before the first clip is made: the build's own
    process never loads it (there it would stay beside the encoders for the whole build). A warm build starts
    none: every picture of the site was remembered, shown by a page or not."""
    from mkdocs_animate_plugin.build import workers

    site.configure(select="auto")
    site.image("img/rocket.jpg", PHOTOS / "rocket.jpg")
    site.image("img/docs.png", SET / "screenshot" / "mkdocs-readthedocs-index.png")  # its pixels look drawn
    site.image("img/spare.jpg", SET / "photograph" / "shared-chelsea.jpg")  # on no page
    site.page("index.md", "# Page\n\n![Rocket](img/rocket.jpg)\n\n![Docs](img/docs.png)\n")
    monkeypatch.setattr(lettering, "regions", lambda path: pytest.fail("the model ran in the build's process"))
    built = site.build()
    html = built.html("index.html")
    assert html.count(".mp4") == 1 and '<img alt="Docs" src="img/docs.png" />' in html, built.summary
    monkeypatch.setattr(workers, "run_once", lambda *args: pytest.fail("a warm build judged a picture again"))
    site.page("index.md", site.docs.joinpath("index.md").read_text() + "\n![Cat](img/spare.jpg)\n")
    again = site.build()
    assert again.html("index.html").count(".mp4") == 2, again.summary
