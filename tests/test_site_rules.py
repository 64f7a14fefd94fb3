"""Which pictures a real site animates: an editor's site-wide exceptions in mkdocs.yml, and the size the site's own
CSS shows an image at (its `extra_css` and the theme's rules), through real builds with mkdocs-material."""

from __future__ import annotations

import re

from .conftest import command, picture


def pictures(site, *paths: str) -> None:
    """A different 320x240 picture at each of `paths` in the site's docs."""
    for seed, path in enumerate(paths, 1):
        site.image(path, picture(320, 240, seed=seed))


def keys(html: str) -> int:
    """How many images of a built page carry an animation."""
    return len(re.findall(r"data-animate-src=", html))


def test_exclusions_leave_images_still_counted_and_planned(site):
    site.set(theme={"name": "material"})
    pictures(site, "img/mascot/owl.png", "img/icons/star.png", "img/cat.png")
    site.page(
        "index.md",
        "# Pets\n\n![Owl](img/mascot/owl.png)\n\n![Star](img/icons/star.png){ .icon }\n\n"
        "![Cat](img/cat.png)\n\n![Owl, asked for](img/mascot/owl.png){ data-animate }\n",
    )
    site.page("deep/page.md", "# Deep\n\n![Owl](../img/mascot/owl.png)\n")
    site.configure(exclude_images=["img/mascot/*"], exclude_classes=["mascot", "icon"])
    built = site.build(strict=True)
    assert built.warnings == []
    # The cat and the owl an editor marked data-animate are animated; the rest is left still under its reason.
    assert "2 image(s) animated" in built.summary
    assert "excluded image: 2" in built.summary and "excluded class: 1" in built.summary
    index = built.html("index.html")
    assert keys(index) == 2 and keys(built.html("deep/page/index.html")) == 0
    assert not re.search(r"<img[^>]*icons/star\.png[^>]*data-animate-src", index)

    # A warm build (pages replayed from memory) counts the same.
    assert site.build().summary.split("; ", 1)[1] == built.summary.split("; ", 1)[1]

    # `plan` lists each excluded image with its reason, and takes the same options on its command line.
    plan = command("plan", "-f", str(site.root / "mkdocs.yml"))
    assert plan.returncode == 0, plan.stderr
    lines = plan.stdout.splitlines()
    assert re.search(r"img/mascot/owl\.png\s+skipped: excluded image: matches img/mascot/\*$", lines[1])
    assert re.search(r"img/icons/star\.png\s+skipped: excluded class: class icon$", lines[2])
    assert re.search(r"img/cat\.png\s+cached$", lines[3]) and re.search(r"img/mascot/owl\.png\s+cached$", lines[4])
    site.configure(exclude_images=[], exclude_classes=[])
    plan = command("plan", "-f", str(site.root / "mkdocs.yml"), "--exclude-classes", "icon")
    assert plan.returncode == 0, plan.stderr
    assert "skipped: excluded class: class icon" in plan.stdout and "excluded image" not in plan.stdout


def test_the_size_the_sites_css_shows(site):
    """mkdocs-material with an `extra_css` class rule that shows a mascot at 90 px, and a hero photo written with a
    `height` attribute that the theme's `.md-typeset img { height: auto }` overrides."""
    site.set(theme={"name": "material"}, extra_css=["css/site.css"])
    site.page(
        "css/site.css",
        "/* the mascot */\n.mascot { width: 90px; }\n.md-typeset .mascot:hover { width: 400px }\n",
    )
    pictures(site, "img/mascot.png", "img/hero.png")
    site.page(
        "index.md",
        '# Home\n\n![Owl](img/mascot.png){ .mascot }\n\n<img src="img/hero.png" alt="Hero" height="60px">\n\n'
        '![Owl, big here](img/mascot.png){ .mascot style="width: 300px" }\n',
    )
    site.page("two.md", "# Two\n\n![Owl](img/mascot.png){ .mascot }\n")
    built = site.build(strict=True)
    assert "shown small: 2" in built.summary and "2 image(s) animated" in built.summary, built.summary
    index = built.html("index.html")
    assert re.search(r'<img src="img/hero\.png" alt="Hero" height="60px" data-animate-key=', index)
    assert keys(index) == 2 and keys(built.html("two/index.html")) == 0
    plan = command("plan", "-f", str(site.root / "mkdocs.yml"))
    assert "skipped: shown small: shown 90x67.5 px" in plan.stdout, plan.stdout

    # Without the theme's rule (MkDocs' own theme sets no height on content images) the attribute counts.
    site.set(theme={"name": "mkdocs"}, extra_css=["css/site.css"])
    assert "shown small: 3" in site.build().summary
    # The site's own rule overrides it again; a changed stylesheet is read by the next build.
    site.page("css/site.css", ".mascot { width: 90px }\nimg[alt=Hero] { height: auto }\n")
    built = site.build()
    assert "shown small: 2" in built.summary and "2 image(s) animated" in built.summary, built.summary
