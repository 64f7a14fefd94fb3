"""A third-party provider, registered under the `mkdocs_animate.providers` entry point group of a real
(tiny) installed distribution, is found by name and used by a real build, with the options it declares (under its
name in mkdocs.yml, validated by MkDocs) and its corner of the cache."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import lxml.html

from mkdocs_animate_plugin.video import media

from .conftest import picture

PROVIDER = """
import numpy as np
from mkdocs.config import base
from mkdocs.config import config_options as c
from PIL import Image
from mkdocs_animate_plugin.providers.base import Clip, Provider


class FadeOptions(base.Config):
    depth = c.Type(float, default=0.2)


class FadeProvider(Provider):
    name = "fade"
    options = FadeOptions

    def identity(self):
        return {"name": self.name, "version": 1, "depth": self.options.depth}

    async def animate(self, request):
        self.cache.set_text(request.image_sha256, "faded")
        still = Image.open(request.image).convert("RGB").resize((request.width, request.height))
        base = np.asarray(still, dtype=np.float32)
        count = request.duration * request.fps
        low = 1 - self.options.depth
        frames = (np.clip(base * (low + (1 - low) * abs(1 - 2 * i / count)), 0, 255).astype(np.uint8)
                  for i in range(count))
        return Clip(fps=request.fps, frames=frames, count=count, loop_closed=True)
"""


def test_entry_point_provider_is_used_by_name(site, tmp_path):
    packages = tmp_path / "packages"
    dist = packages / "fade_provider-0.1.dist-info"
    dist.mkdir(parents=True)
    (packages / "fade_provider.py").write_text(textwrap.dedent(PROVIDER))
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: fade-provider\nVersion: 0.1\n")
    (dist / "entry_points.txt").write_text("[mkdocs_animate.providers]\nfade = fade_provider:FadeProvider\n")
    site.image("img/a.png", picture())
    site.page("index.md", "![a](img/a.png)\n")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(packages), os.environ.get("PYTHONPATH", "")])}
    # Its options sit under its name, checked by MkDocs with the option named.
    site.configure(provider="fade", fade={"depth": "deep"})
    wrong = site.run("build", env=env)
    assert wrong.returncode == 1 and "Traceback" not in wrong.stderr
    assert "Plugin 'animate' option 'fade': Sub-option 'depth': Expected type: <class 'float'>" in wrong.stderr
    site.configure(fade={"depth": 0.5})
    result = site.run("build", "--strict", env=env)
    assert result.returncode == 0, result.stderr
    stats = subprocess.run(
        [sys.executable, "-m", "mkdocs_animate_plugin.cli", "cache", "stats", "-f", str(site.root / "mkdocs.yml")],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )  # fmt: skip
    assert "prompts: 1;" in stats.stdout, stats.stdout + stats.stderr
    html = (site.root / "site" / "index.html").read_text()
    src = lxml.html.fromstring(html).xpath("//img[@data-animate-type='video/mp4']")[0].get("data-animate-src")
    info = media.probe(site.root / "site" / src)
    assert info.codec == "h264" and info.frames == 24
    # Without the distribution, the name is unknown: a configuration error naming the option.
    unknown = site.run("build")
    assert unknown.returncode == 1 and "option 'provider'" in unknown.stderr and "'fade'" in unknown.stderr
