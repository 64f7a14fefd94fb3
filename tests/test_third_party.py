"""A third-party provider, registered under the `mkdocs_animate.providers` entry point group of a real
(tiny) installed distribution, is found by name and used by a real build."""

from __future__ import annotations

import os
import textwrap

import lxml.html

from mkdocs_animate_plugin import media

from .conftest import picture

PROVIDER = '''
import numpy as np
from PIL import Image
from mkdocs_animate_plugin.providers.base import Clip, Provider


class FadeProvider(Provider):
    name = "fade"

    def identity(self):
        return {"name": self.name, "version": 1}

    async def animate(self, request):
        still = Image.open(request.image).convert("RGB").resize((request.width, request.height))
        base = np.asarray(still, dtype=np.float32)
        count = request.duration * request.fps
        frames = (np.clip(base * (0.8 + 0.2 * abs(1 - 2 * i / count)), 0, 255).astype(np.uint8)
                  for i in range(count))
        return Clip(fps=request.fps, frames=frames, count=count, loop_closed=True)
'''


def test_entry_point_provider_is_used_by_name(site, tmp_path):
    packages = tmp_path / "packages"
    dist = packages / "fade_provider-0.1.dist-info"
    dist.mkdir(parents=True)
    (packages / "fade_provider.py").write_text(textwrap.dedent(PROVIDER))
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: fade-provider\nVersion: 0.1\n")
    (dist / "entry_points.txt").write_text("[mkdocs_animate.providers]\nfade = fade_provider:FadeProvider\n")
    site.image("img/a.png", picture())
    site.page("index.md", "![a](img/a.png)\n")
    site.configure(provider="fade")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(packages), os.environ.get("PYTHONPATH", "")])}
    result = site.run("build", "--strict", env=env)
    assert result.returncode == 0, result.stderr
    html = (site.root / "site" / "index.html").read_text()
    src = lxml.html.fromstring(html).xpath("//video//source")[0].get("src")
    info = media.probe(site.root / "site" / src)
    assert info.codec == "h264" and info.frames == 24
    # Without the distribution, the name is unknown: a configuration error naming the option.
    unknown = site.run("build")
    assert unknown.returncode == 1 and "option 'provider'" in unknown.stderr and "'fade'" in unknown.stderr
