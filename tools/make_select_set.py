"""Remake the labelled image set of tests/images/select/ (used by tests/test_pixels.py).

Run from the repository root: ``python tools/make_select_set.py``. It rewrites every file it makes
and copies; SOURCES.md beside the set says where each file came from and under which licence.

It needs tools that are NOT dependencies of the project, installed only to make the set:
  pip: matplotlib, qrcode, segno, schemdraw, scikit-image, mkdocs-material, playwright
  apt: graphviz (dot), librsvg2-bin (rsvg-convert), fonts-noto-color-emoji, desktop-base, chromium,
       kgeography-data, tuxpaint-stamps-default
  package files unpacked with ``apt-get download P && dpkg-deb -x P.deb DEBS``, DEBS given by the
  environment variable SELECT_DEBS (default /tmp/debs/x) for: wesnoth-1.16-httt, wesnoth-1.16-l,
  frozen-bubble-data, pingus-data, gnome-backgrounds.
A step whose tool or file is missing is skipped with a note; the tests never run this script.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
SET = ROOT / "tests" / "images" / "select"
DEBS = Path(os.environ.get("SELECT_DEBS", "/tmp/debs/x"))
SITE = Path(sys.prefix) / "lib" / f"python{sys.version_info[0]}.{sys.version_info[1]}" / "site-packages"
TMP = Path(tempfile.mkdtemp(prefix="select-set-"))


def save(img: Image.Image, label: str, name: str, root: Path = SET) -> None:
    """By the name: a .jpg as JPEG q85 <= 640 px (photographs and illustrations), a .png as optimised PNG <= 800 px."""
    out = root / label / name
    out.parent.mkdir(parents=True, exist_ok=True)
    if img.mode in ("RGBA", "LA", "P"):
        img = img.convert("RGBA")
        white = Image.new("RGBA", img.size, (255, 255, 255, 255))
        img = Image.alpha_composite(white, img)
    img = img.convert("RGB")
    limit = 640 if out.suffix == ".jpg" else 800
    if img.width > limit:
        img = img.resize((limit, round(img.height * limit / img.width)), Image.LANCZOS)
    if out.suffix == ".jpg":
        img.save(out, quality=85, optimize=True)
    else:
        img.save(out, optimize=True)
    print("wrote", out)


def copy(src: Path, label: str, name: str, crop: tuple[int, int, int, int] | None = None) -> None:
    if not src.exists():
        print("skip (missing)", src)
        return
    img = Image.open(src)
    save(img.crop(crop) if crop else img, label, name)


def svg(src: Path | str, label: str, name: str, width: int, text: str | None = None) -> None:
    """Render an SVG file (or SVG text) with rsvg-convert."""
    if text is not None:
        src = TMP / (name + ".svg")
        Path(src).write_text(text)
    if not Path(src).exists() or not shutil.which("rsvg-convert"):
        print("skip (missing)", src)
        return
    png = TMP / (name + ".render.png")
    subprocess.run(["rsvg-convert", "-w", str(width), "-o", str(png), str(src)], check=True)
    save(Image.open(png), label, name)


# ---------------------------------------------------------------- copied photographs and art
def photographs() -> None:
    shared = ROOT.parent / "shared" / "images"
    for f in ("chelsea.png", "coffee.png", "flower.jpg", "grass.png", "rocket.jpg"):
        copy(shared / f, "photograph", "shared-" + Path(f).stem + ".jpg")
    sk = SITE / "skimage" / "data"
    for f in (
        "astronaut.png",
        "camera.png",
        "hubble_deep_field.jpg",
        "retina.jpg",
        "coins.png",
        "brick.png",
        "gravel.png",
        "clock_motion.png",
        "ihc.png",
        "moon.png",
    ):
        copy(sk / f, "photograph", "skimage-" + Path(f).stem + ".jpg")
    copy(SITE / "matplotlib" / "mpl-data" / "sample_data" / "grace_hopper.jpg", "photograph", "mpl-grace_hopper.jpg")
    copy(shared / "coffee.png", "photograph", "shared-coffee-crop.jpg", (150, 50, 450, 350))


def maps() -> None:
    """Political maps of flat regions coloured apart (kgeography's; none of the held-out set's)."""
    for country in ("austria", "canada", "germany"):
        copy(Path(f"/usr/share/kgeography/{country}.png"), "map", f"kgeography-{country}.png")


def illustrations() -> None:
    w = DEBS / "usr/share/games/wesnoth/1.16/data/campaigns"
    for f in (
        "Heir_To_The_Throne/images/story/httt_story1.jpg",
        "Heir_To_The_Throne/images/story/httt_story4.jpg",
        "Heir_To_The_Throne/images/story/httt_story7.jpg",
        "Liberty/images/story/frontier.jpg",
        "Liberty/images/story/island.jpg",
        "Heir_To_The_Throne/images/portraits/konrad-human.png",
        "Heir_To_The_Throne/images/portraits/moremirmu.png",
        "Liberty/images/portraits/harper.png",
        "Liberty/images/campaign_image.png",
    ):
        copy(w / f, "illustration", "wesnoth-" + Path(f).stem + ".jpg")
    fb = DEBS / "usr/share/games/frozen-bubble/gfx"
    for f in ("back_one_player.png", "back_multiplayer.png"):
        copy(fb / f, "illustration", "frozenbubble-" + Path(f).stem + ".jpg")
    pg = DEBS / "usr/share/games/pingus/data/images"
    copy(pg / "worldmaps/tutorial_layer0.jpg", "illustration", "pingus-tutorial_layer0.jpg")
    copy(pg / "core/menu/layer1.png", "illustration", "pingus-menu_layer1.jpg")
    svg(DEBS / "usr/share/backgrounds/gnome/oceans.svg", "illustration", "gnome-oceans.jpg", 640)
    # clip-art cartoons kept lossless, as their source is: the most flat hues of tuxpaint's (none is a map)
    stamps = Path("/usr/share/tuxpaint/stamps")
    for stem in ("town/houses/cartoon/tepee", "animals/insects/cartoon/spider_football",
                 "animals/birds/cartoon/penguin_with_spider"):  # fmt: skip
        copy(stamps / f"{stem}.png", "illustration", f"tuxpaint-{Path(stem).name}.png")
    db = Path("/usr/share/desktop-base")
    svg(db / "moonlight-theme/wallpaper/contents/images/1280x720.svg", "illustration", "desktopbase-moonlight.jpg", 640)
    # colour emoji drawn large: flat-colour cartoons (Noto Color Emoji, rendered by Chromium)
    for name, chars in (
        ("emoji-fox-tree", "🦊🌳"),
        ("emoji-whale", "🐳"),
        ("emoji-sun-flower", "🌻🌞"),
        ("emoji-rocket-moon", "🚀🌙"),
        ("emoji-turtle-wave", "🐢🌊"),
        ("emoji-owl", "🦉"),
        ("emoji-castle", "🏰"),
        ("emoji-octopus-fish", "🐙🐠"),
    ):
        html = (
            f"<body style='margin:0;background:#fff'><div style='font:240px/1.15 \"Noto Color Emoji\";"
            f"padding:10px 20px'>{chars}</div></body>"
        )
        shoot_html(html, "illustration", name + ".jpg", (620 if len(chars) > 1 else 320, 300))


# ---------------------------------------------------------------- browser: screenshots, text, emoji
_browser = None


def page(width: int, height: int):
    global _browser
    if _browser is None:
        from playwright.sync_api import sync_playwright

        pw = sync_playwright().start()
        _browser = pw.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
    return _browser.new_page(viewport={"width": width, "height": height})


def shoot(url: str, label: str, name: str, size: tuple[int, int], crop=None) -> None:
    p = page(*size)
    p.goto(url)
    p.wait_for_timeout(300)
    png = TMP / (name + ".png")
    p.screenshot(path=str(png))
    p.close()
    img = Image.open(png)
    save(img.crop(crop) if crop else img, label, name)


def shoot_html(html: str, label: str, name: str, size: tuple[int, int], crop=None) -> None:
    f = TMP / (name + ".html")
    f.write_text("<meta charset='utf-8'>" + html)
    shoot(f.as_uri(), label, name, size, crop)


PROSE = (
    "The plugin looks at each picture of a page once, at build time, and decides whether a gentle loop "
    "would suit it. Photographs and painted scenes move; screenshots, diagrams and charts stay as they "
    "are, because a reader studies them and motion would only distract. "
) * 3


def mkdocs_site() -> Path:
    """A small MkDocs site built with three themes: real documentation pages to take screenshots of."""
    src = TMP / "site"
    (src / "docs").mkdir(parents=True)
    (src / "docs" / "index.md").write_text(
        "# Getting started\n\n" + PROSE + "\n\n## Install\n\n```bash\npip install mkdocs-animate-plugin\n"
        "mkdocs build --strict\n```\n\n| option | default | meaning |\n|---|---|---|\n"
        "| select | auto | which images |\n| output | video | the format |\n| fps | 12 | frames per second |\n\n"
        "!!! note\n    Animations pause when they leave the view.\n\n- first item\n- second item\n- third item\n"
    )
    (src / "docs" / "config.md").write_text(
        "# Configuration\n\n```yaml\nplugins:\n  - animate:\n      select: auto\n      output: video\n"
        "      max_new: 20\n```\n\n" + PROSE + "\n"
    )
    out = {}
    for theme in ("mkdocs", "readthedocs", "material"):
        cfg = src / f"mkdocs-{theme}.yml"
        cfg.write_text(
            f"site_name: Animate docs\ntheme:\n  name: {theme}\nmarkdown_extensions: [admonition, tables]\n"
            f"nav: [index.md, config.md]\nsite_dir: out-{theme}\n"
        )
        subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(cfg)], check=True, cwd=src)
        out[theme] = src / f"out-{theme}"
    return src


def screenshots() -> None:
    site = mkdocs_site()
    for theme in ("mkdocs", "readthedocs", "material"):
        d = site / f"out-{theme}"
        shoot((d / "index.html").as_uri(), "screenshot", f"mkdocs-{theme}-index.png", (1024, 700))
        shoot((d / "config" / "index.html").as_uri(), "screenshot", f"mkdocs-{theme}-config.png", (800, 600))
    shoot(
        (site / "out-material/index.html").as_uri(),
        "screenshot",
        "mkdocs-material-crop.png",
        (1024, 700),
        (200, 60, 800, 460),
    )
    shoot((site / "out-readthedocs/index.html").as_uri(), "screenshot", "mkdocs-readthedocs-mobile.png", (400, 700))
    for doc, name in (
        ("/usr/share/doc/groff-base/html/pic-1.html", "debian-groff-docs.png"),
        ("/usr/share/doc/imagemagick-6-common/html/index.html", "debian-imagemagick-docs.png"),
        ("/usr/share/doc/valgrind/html/manual-core.html", "debian-valgrind-docs.png"),
    ):
        if Path(doc).exists():
            shoot(Path(doc).as_uri(), "screenshot", name, (1000, 700))
    code = Path(__file__).read_text().splitlines()[20:70]
    esc = "\n".join(line.replace("&", "&amp;").replace("<", "&lt;") for line in code)
    shoot_html(
        "<body style='margin:0;background:#1e1e1e;color:#d4d4d4;display:flex;font:13px monospace'>"
        "<div style='width:200px;background:#252526;color:#ccc;padding:8px;line-height:22px'>EXPLORER<br>"
        "&nbsp;tools<br>&nbsp;&nbsp;make_select_set.py<br>&nbsp;tests<br>&nbsp;README.md</div>"
        f"<pre style='margin:0;padding:8px;line-height:18px'>{esc}</pre></body>",
        "screenshot",
        "editor-dark.png",
        (900, 600),
    )
    shoot_html(
        "<body style='margin:0;background:#fff;font:13px monospace'>"
        "<pre style='margin:0;padding:10px;line-height:18px;color:#333'>"
        f"{esc.replace('def ', '<b style=color:#00f>def</b> ')}</pre></body>",
        "screenshot",
        "editor-light-crop.png",
        (800, 600),
        (0, 0, 520, 300),
    )
    term = subprocess.run(["ls", "-la", "/usr/bin"], capture_output=True, text=True).stdout.splitlines()[:40]
    shoot_html(
        "<body style='margin:0;background:#300a24;color:#eee;font:13px monospace'><pre style='margin:8px'>"
        "$ ls -la /usr/bin\n" + "\n".join(term) + "</pre></body>",
        "screenshot",
        "terminal.png",
        (800, 500),
    )
    shoot_html(
        "<body style='font:15px sans-serif;margin:30px;background:#f4f4f4'><form style='background:#fff;"
        "padding:20px;border:1px solid #ccc;width:420px'><h2>Sign up</h2>"
        "<label>Name<br><input style='width:380px'></label><br><br><label>E-mail<br>"
        "<input style='width:380px' value='ada@example.org'></label><br><br><label>"
        "<input type=checkbox checked> Send me the newsletter</label><br><br>"
        "<select><option>Europe</option></select><br><br><button>Create account</button></form></body>",
        "screenshot",
        "form.png",
        (600, 480),
    )


def texts() -> None:
    sk = SITE / "skimage" / "data"
    copy(sk / "page.png", "text", "skimage-page.png")
    copy(sk / "text.png", "text", "skimage-text.png")
    for i, (font, width) in enumerate((("16px serif", 700), ("14px sans-serif", 500), ("18px monospace", 760))):
        shoot_html(
            f"<body style='margin:24px;font:{font};line-height:1.5;background:#fff'>"
            f"<h2>Chapter {i + 1}</h2><p>{PROSE}</p><p>{PROSE[:400]}</p></body>",
            "text",
            f"prose-{i + 1}.png",
            (width, 560),
        )
    rows = "".join(
        f"<tr><td>{n}</td><td>{n * 7 % 13}</td><td>item number {n}</td><td>{n * 1.5:.2f}</td></tr>"
        for n in range(1, 16)
    )
    shoot_html(
        "<body style='font:14px sans-serif;margin:10px'><table border=1 cellpadding=4 "
        "style='border-collapse:collapse'><tr><th>#</th><th>code</th><th>name</th><th>price</th></tr>"
        f"{rows}</table></body>",
        "text",
        "table.png",
        (460, 560),
    )
    shoot_html(
        "<body style='margin:0;background:#fffbe6;font:italic 22px Georgia,serif;padding:30px'>"
        "<blockquote>“Simplicity is prerequisite for reliability.”<br>— Edsger W. Dijkstra</blockquote>"
        "</body>",
        "text",
        "quote.png",
        (640, 200),
    )


# ---------------------------------------------------------------- charts, diagrams, QR, logos
def charts() -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    rng = np.random.default_rng(1)
    x = np.linspace(0, 10, 200)

    def fig(name: str, draw, style: str = "default") -> None:
        with plt.style.context(style):
            f, ax = plt.subplots(figsize=(6.4, 4.2), dpi=100)
            draw(ax)
            f.tight_layout()
            f.savefig(TMP / name)
            plt.close(f)
        save(Image.open(TMP / name), "chart", name)

    fig(
        "line.png",
        lambda ax: (
            ax.plot(x, np.sin(x), label="sin"),
            ax.plot(x, np.cos(x), label="cos"),
            ax.set_xlabel("time (s)"),
            ax.set_ylabel("value"),
            ax.legend(),
            ax.grid(),
        ),
    )
    fig("bar.png", lambda ax: (ax.bar(list("ABCDEFG"), rng.integers(3, 20, 7)), ax.set_ylabel("count")))
    fig(
        "scatter.png",
        lambda ax: (
            ax.scatter(rng.normal(size=300), rng.normal(size=300), c=rng.random(300), s=12),
            ax.set_xlabel("x"),
            ax.set_ylabel("y"),
        ),
    )
    fig("pie.png", lambda ax: ax.pie([35, 25, 20, 12, 8], labels=["a", "b", "c", "d", "e"], autopct="%d%%"))
    fig("histogram.png", lambda ax: (ax.hist(rng.normal(size=2000), bins=40), ax.set_title("distribution")))
    fig(
        "heatmap.png",
        lambda ax: (
            ax.figure.colorbar(ax.imshow(rng.random((12, 16)), cmap="viridis")),
            ax.set_xlabel("column"),
            ax.set_ylabel("row"),
        ),
    )
    fig("line-ggplot.png", lambda ax: [ax.plot(x, np.sqrt(x) * k) for k in range(1, 5)], "ggplot")
    fig("bar-dark.png", lambda ax: ax.barh(["north", "south", "east", "west"], [4, 7, 2, 5]), "dark_background")
    fig(
        "area.png",
        lambda ax: (ax.stackplot(x, np.abs(np.sin(x)), np.abs(np.cos(x)), 0.3 + x / 20), ax.set_xlabel("day")),
        "seaborn-v0_8",
    )
    fig(
        "contour.png",
        lambda ax: ax.clabel(
            ax.contour(*np.meshgrid(x, x), np.sin(np.meshgrid(x, x)[0]) * np.cos(np.meshgrid(x, x)[1]))
        ),
    )
    if shutil.which("gnuplot"):
        subprocess.run(
            [
                "gnuplot",
                "-e",
                f"set terminal png size 640,420; set output '{TMP / 'gnuplot.png'}';"
                "set grid; plot sin(x) title 'sin(x)', x**2/40 title 'x^2/40'",
            ],
            check=True,
        )
        save(Image.open(TMP / "gnuplot.png"), "chart", "gnuplot.png")


DOTS = {
    "pipeline": "digraph{rankdir=LR;node[shape=box];page->discover->select->generate->cache->rewrite->site;"
    "select->still[label=no];}",
    "classes": 'digraph{node[shape=record];A[label="{Plugin|+config\\l+on_page_content()\\l}"];'
    'B[label="{Provider|+generate()\\l}"];C[label="{Local|+kenburns()\\l}"];A->B;C->B[arrowhead=empty];}',
    "states": "digraph{node[shape=circle,style=filled,fillcolor=lightblue];pending->approved;pending->rejected;"
    "rejected->pending[label=retake];approved->published;}",
    "clusters": "digraph{compound=true;node[style=filled,fillcolor=white,shape=box];subgraph cluster_a{label=build;"
    'style=filled;fillcolor="#e8f0fe";md->html;html->img}subgraph cluster_b{label=cache;style=filled;'
    'fillcolor="#fef3e8";key->clip}img->key;clip->video;}',
    "tree": "graph{node[shape=ellipse];root--a;root--b;a--c;a--d;b--e;b--f;f--g;f--h;}",
    "flowchart": 'digraph{node[shape=box,style=rounded];start[shape=oval];q[shape=diamond,label="cached?"];'
    "start->q;q->use[label=yes];q->generate[label=no];generate->store->use;use->end;end[shape=oval];}",
}


def diagrams() -> None:
    if shutil.which("dot"):
        for name, src in DOTS.items():
            (TMP / f"{name}.dot").write_text(src)
            subprocess.run(
                ["dot", "-Tpng", "-Gdpi=96", "-o", str(TMP / f"{name}.png"), str(TMP / f"{name}.dot")], check=True
            )
            save(Image.open(TMP / f"{name}.png"), "diagram", f"graphviz-{name}.png")
    import schemdraw
    import schemdraw.elements as e

    schemdraw.use("matplotlib")
    with schemdraw.Drawing(show=False) as d:
        d += e.SourceV().label("5V")
        d += e.Resistor().right().label("1kΩ")
        d += e.Capacitor().down().label("10µF")
        d += e.Line().left()
        d.save(str(TMP / "rc.png"), dpi=110)
    save(Image.open(TMP / "rc.png"), "diagram", "schemdraw-rc.png")
    with schemdraw.Drawing(show=False) as d:
        d += (q := e.BjtNpn().label("Q1"))
        d += e.Resistor().at(q.collector).up().label("Rc")
        d += e.Resistor().at(q.base).left().label("Rb")
        d += e.Ground().at(q.emitter)
        d.save(str(TMP / "bjt.png"), dpi=110)
    save(Image.open(TMP / "bjt.png"), "diagram", "schemdraw-bjt.png")
    import matplotlib.pyplot as plt
    import numpy as np

    with np.load(SITE / "matplotlib/mpl-data/sample_data/topobathy.npz") as data:  # a map drawn as lines
        z = data["topo"]
    f, ax = plt.subplots(figsize=(6.4, 4.8), dpi=100)
    ax.contour(z, levels=12, colors="#777", linewidths=0.7)
    ax.contour(z, levels=[0], colors="#1f5fbf", linewidths=2)
    ax.set_xticks([])
    ax.set_yticks([])
    f.savefig(TMP / "map.png")
    plt.close(f)
    save(Image.open(TMP / "map.png"), "diagram", "map-lines.png")


def qrs() -> None:
    import qrcode
    import segno

    url = "https://example.org/docs/animate"
    qrcode.make(url).save(TMP / "q1.png")
    save(Image.open(TMP / "q1.png"), "qr", "qrcode-default.png")
    qrcode.make("short").save(TMP / "q2.png")
    save(Image.open(TMP / "q2.png"), "qr", "qrcode-short.png")
    for name, kw in (
        ("segno-blue.png", dict(scale=8, dark="#1a3a8a")),
        ("segno-small.png", dict(scale=3)),
        ("segno-green.png", dict(scale=6, dark="darkgreen", light="#f0fff0")),
        ("segno-large.png", dict(scale=5, border=2)),
    ):
        segno.make(url * (3 if "large" in name else 1), error="m").save(TMP / name, **kw)
        save(Image.open(TMP / name), "qr", name)
    segno.make("WIFI:S:home;T:WPA;P:secret;;", micro=False).save(TMP / "w.png", scale=10, dark="#000", light="#fff")
    save(Image.open(TMP / "w.png"), "qr", "segno-wifi.png")
    q = qrcode.QRCode(box_size=12, border=4)
    q.add_data("MECARD:N:Doe,Jane;TEL:123;;")
    q.make_image(fill_color="purple", back_color="white").save(TMP / "q3.png")
    save(Image.open(TMP / "q3.png"), "qr", "qrcode-purple.png")


def badge(label: str, value: str, color: str) -> str:
    """A shields.io-style flat badge, drawn the way shields draws it."""
    lw, vw = 7 * len(label) + 12, 7 * len(value) + 12
    return (
        f"<svg xmlns='http://www.w3.org/2000/svg' width='{lw + vw}' height='20'>"
        f"<linearGradient id='s' x2='0' y2='100%'><stop offset='0' stop-color='#bbb' stop-opacity='.1'/>"
        f"<stop offset='1' stop-opacity='.1'/></linearGradient><rect rx='3' width='{lw + vw}' height='20' fill='#555'/>"
        f"<rect rx='3' x='{lw}' width='{vw}' height='20' fill='{color}'/><rect rx='3' width='{lw + vw}' height='20' "
        f"fill='url(#s)'/><g fill='#fff' font-family='DejaVu Sans,Verdana,sans-serif' font-size='11'>"
        f"<text x='5' y='14'>{label}</text><text x='{lw + 5}' y='14'>{value}</text></g></svg>"
    )


def logos() -> None:
    for name, args in (
        ("badge-build.png", ("build", "passing", "#4c1")),
        ("badge-pypi.png", ("pypi", "v0.1.0", "#007ec6")),
        ("badge-license.png", ("license", "MIT", "#fe7d37")),
        ("badge-coverage.png", ("coverage", "87%", "#dfb317")),
    ):
        svg("", "logo", name, 400, badge(*args))
    icons = SITE / "material" / "templates" / ".icons"
    for name, fill in (("python", "#3776AB"), ("github", "#181717"), ("debian", "#A81D33"), ("docker", "#2496ED")):
        src = icons / "simple" / f"{name}.svg"
        if src.exists():
            svg("", "logo", f"simpleicons-{name}.png", 256, src.read_text().replace("<svg ", f"<svg fill='{fill}' "))
    svg(icons / "logo.svg", "logo", "material-logo.png", 256)
    svg("/usr/share/icons/desktop-base/scalable/emblems/emblem-debian.svg", "logo", "debian-emblem.png", 256)
    for name, fill in (("rust", "#000000"), ("numpy", "#013243"), ("mozillafirefox", "#FF7139")):
        src = icons / "simple" / f"{name}.svg"
        if src.exists():
            svg("", "logo", f"simpleicons-{name}.png", 300, src.read_text().replace("<svg ", f"<svg fill='{fill}' "))
    copy(SITE / "skimage" / "data" / "logo.png", "logo", "skimage-logo.png")
    copy(SITE / "matplotlib" / "mpl-data" / "sample_data" / "logo2.png", "logo", "matplotlib-logo.png")


if __name__ == "__main__":
    steps = sys.argv[1:] or [
        "photographs",
        "illustrations",
        "maps",
        "screenshots",
        "texts",
        "charts",
        "diagrams",
        "qrs",
        "logos",
    ]
    for step in steps:
        globals()[step]()
    shutil.rmtree(TMP, ignore_errors=True)
