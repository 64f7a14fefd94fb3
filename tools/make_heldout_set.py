"""Make the held-out labelled set of `select: auto`: pictures its rules were never tuned on.

Run from the repository root: ``python tools/make_heldout_set.py``. It writes one folder per label and a SOURCES.md
that says where each file came from and under which licence, in two places:
  tests/images/select-heldout/: pictures from Debian's packages (as the tuning set tests/images/select/ has them),
  committed, so that CI judges them on every run: apt kgeography-data, fritzing-data, marble-data,
  tuxpaint-stamps-default, plasma-workspace-wallpapers;
  ../shared/images/select-heldout/: pictures from public repositories, kept out of the project's commits (a
  snapshot's files are not ours to commit; the steering repository's shared/ may hold them), from git snapshots
  given by HELDOUT_MIRRORS (default /work/.mirror, as owner+name/repo): Leaflet/Leaflet (BSD-2-Clause),
  ocrmypdf/OCRmyPDF (per its REUSE.toml), egonelbre/gophers (CC0-1.0), saleor/saleor (BSD-3-Clause: a shop's
  product pictures, every third of saleor/static/placeholders/ by name).
tests/test_heldout.py judges both where they are; the rules (pixels.py) must never be tuned on the held-out half.
A picture whose source is missing is skipped with a note.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_select_set import save  # the same formats and sizes as the tuning set

ROOT = Path(__file__).resolve().parent.parent
PACKAGED = ROOT / "tests" / "images" / "select-heldout"
PUBLIC = ROOT.parent / "shared" / "images" / "select-heldout"
MIRRORS = Path(os.environ.get("HELDOUT_MIRRORS", "/work/.mirror"))
OCR_LICENCES = {
    "tests/resources/linn.png": "CC-BY-SA-3.0 (Wikimedia: LinnSequencer)",
    "tests/resources/typewriter.png": "GFDL-1.2+ or CC-BY-SA (Ellywa, Wikimedia: Triumph typewriter text)",
    "tests/resources/baiona.png": "CC-BY-SA (Wikimedia: Baionako udalerri mugakideak)",
    "tests/resources/baiona_gray.png": "CC-BY-SA (Wikimedia: Baionako udalerri mugakideak)",
    "docs/images/logo-social.png": "MPL-2.0 (James R. Barlow)",
    "docs/images/logo-square.png": "MPL-2.0 (James R. Barlow)",
    "docs/images/macos-workflow.png": "MPL-2.0 (OCRmyPDF documentation)",
    "misc/flatpak/sample_screenshot.png": "MPL-2.0 (OCRmyPDF)",
}
LEAFLET = {
    "photograph": [
        "docs/docs/images/2016-04-18-leaflet-toilet-paper.jpeg",
        "docs/docs/images/2016-04-18-madrid-leaflet-864px.jpg",
        "docs/docs/images/2016-08-03-iraq-hacking.jpg",
    ],
    "screenshot": [
        "docs/docs/images/2016-07-18-remote-session.png",
        "docs/examples/extending-3-controls/thumbnail.png",
        "docs/examples/geojson/thumbnail.png",
        "docs/examples/wms/qgis-wms-layers.png",
    ],
    "map": [
        "docs/docs/images/2016-07-18-tooltip.png",
        "docs/examples/accessibility/thumbnail.png",
        "docs/examples/choropleth/thumbnail.png",
        "docs/examples/crs-simple/uqm_map_400px.png",
        "docs/examples/custom-icons/thumbnail.png",
        "docs/examples/layers-control/thumbnail.png",
        "docs/examples/map-panes/thumbnail.png",
        "docs/examples/mobile/thumbnail.png",
        "docs/examples/quick-start/thumbnail.png",
        "docs/examples/wms/thumbnail.png",
    ],
    "chart": ["docs/examples/crs-simple/thumbnail.png", "docs/examples/crs-simple/uqm_map_detail.png"],
    "diagram": [
        "docs/examples/extending-1-classes/class-diagram.png",
        "docs/examples/extending-1-classes/thumbnail.png",
        "docs/examples/zoom-levels/thumbnail.png",
    ],
    "logo": ["docs/docs/images/logos.png"],
}
OCRMYPDF = {
    "logo": ["docs/images/logo-social.png", "docs/images/logo-square.png"],
    "screenshot": ["docs/images/macos-workflow.png", "misc/flatpak/sample_screenshot.png"],
    "map": ["tests/resources/baiona.png", "tests/resources/baiona_gray.png"],
    "text": ["tests/resources/linn.png", "tests/resources/typewriter.png"],
}
GOPHERS = [
    "adventure/hiking", "adventure/pirate-boat", "adventure/poking-fire", "adventure/pushing-cart", "arts/ballet",
    "convict/working-hard", "dandy/umbrella", "fairy-tale/king", "fairy-tale/messenger-showing",
    "fairy-tale/witch-cooking", "friends/docker", "science/jetpack", "superhero/flying", "superhero/lifting-1TB",
]  # fmt: skip
WALLPAPERS = {
    "photograph": ["BytheWater", "ColdRipple", "DarkestHour", "EveningGlow", "FallenLeaf", "Grey", "Kite",
                   "OneStandsOut", "Path", "summer_1am"],
    "illustration": ["Autumn", "FlyingKonqui", "SafeLanding", "PastelHills", "Altai"],
}  # fmt: skip
STAMPS = {  # under /usr/share/tuxpaint/stamps/
    "photograph": ["animals/fish/lobster", "animals/mammals/aquatic/otter", "animals/mammals/bovines/gnu-baby-stand",
                   "animals/mammals/bovines/indian_blackbuck", "food/fruit/avocado", "food/fruit/orange_seville",
                   "household/Lightbulb", "military/vehicles/bradley_mirror", "plants/flowers/daffodil",
                   "plants/trees/tree336"],
    "illustration": ["animals/birds/cartoon/tux", "animals/insects/cartoon/snail2", "clothes/hats/feathered_hat",
                     "clothes/hats/tophat", "food/dessert/cartoon/pink_cake", "food/fruit/cartoon/cherries",
                     "food/fruit/cartoon/pineapple", "people/cartoon/mermaid", "town/cartoon/fountain",
                     "town/cartoon/wishing_well", "town/houses/cartoon/cityhouse", "town/houses/cartoon/fishery",
                     "town/houses/cartoon/pinkhome", "town/houses/cartoon/warehouse"],
}  # fmt: skip
KGEOGRAPHY = ["algeria", "bolivia", "cuba", "great-britain_counties", "ireland_provinces", "nepal_zones",
              "switzerland", "yemen", "europe", "africa"]  # fmt: skip
SCREENSHOTS = [
    ("/usr/share/fritzing/help/images/start.png", "Debian fritzing-data 0.9.6", "GPL-3+"),
    ("/usr/share/fritzing/help/images/bus1.png", "Debian fritzing-data 0.9.6", "GPL-3+"),
    ("/usr/share/doc/HTML/en/marble/mapview-1.png", "Debian marble-data 22.12.3", "GFDL-1.2+"),
    ("/usr/share/doc/HTML/en/marble/routing-1.png", "Debian marble-data 22.12.3", "GFDL-1.2+"),
    ("/usr/share/doc/HTML/en/marble/search-2.png", "Debian marble-data 22.12.3", "GFDL-1.2+"),
    ("/usr/share/doc/HTML/en/kgeography/first-start1.png", "Debian kgeography-data 22.12.3", "GFDL-1.2+"),
    ("/usr/share/doc/HTML/en/kgeography/first-start13.png", "Debian kgeography-data 22.12.3", "GFDL-1.2+"),
]
SCHEMATICS = ["schematic1", "schematic2", "schematic3"]
SALEOR = {  # a shop's listing: category banners and products on white (books and a gift card included)
    "photograph": [
        "products-list/accessories.jpg", "products-list/groceries.jpg", "saleor-ascii-shirt-back.png",
        "saleor-battle-tested-book.png", "saleor-beanie-2.png", "saleor-blue-plimsolls-2.png",
        "saleor-blue-polygon-tee-back.png", "saleor-cushion-blue.png", "saleor-dash-force-1.png",
        "saleor-dash-tee-front.png", "saleor-grey-hoodie.png", "saleor-monospace-white-tee-back.png",
        "saleor-own-your-stack-and-data-book.png", "saleor-polo-shirt-back.png", "saleor-sunnies.png",
        "saleor-white-cubes-tee-back.png", "saleor-white-parrot-cushion.png", "saleor-white-plimsolls-3.png",
    ],
    "logo": ["saleor-gift-100.png"],
}  # fmt: skip
rows: dict[Path, list[str]] = {PACKAGED: [], PUBLIC: []}


def put(img: Image.Image, label: str, name: str, source: str, licence: str, root: Path) -> None:
    save(img, label, name, root=root)
    rows[root].append(f"| {label}/{name} | {label} | {source} | {licence} |")


def from_repo(repo: str, path: str, label: str, name: str, licence: str) -> None:
    git = MIRRORS / repo.replace("/", "+") / "repo"
    shown = subprocess.run(["git", "--git-dir", str(git), "show", f"HEAD:{path}"], capture_output=True, check=False)
    if shown.returncode != 0:
        print("skip (missing)", repo, path)
        return
    put(Image.open(io.BytesIO(shown.stdout)), label, name, f"github {repo}: {path}", licence, PUBLIC)


def from_file(path: str, label: str, name: str, source: str, licence: str) -> None:
    if not Path(path).is_file():
        print("skip (missing)", path)
        return
    put(Image.open(path), label, name, source, licence, PACKAGED)


def kind_ext(label: str) -> str:
    return ".jpg" if label in ("photograph", "illustration") else ".png"


def main() -> None:
    for label, paths in LEAFLET.items():
        for path in paths:
            name = "leaflet-" + Path(path).parent.name + "-" + Path(path).stem + kind_ext(label)
            from_repo("Leaflet/Leaflet", path, label, name, "BSD-2-Clause (Leaflet)")
    for label, paths in OCRMYPDF.items():
        for path in paths:
            from_repo("ocrmypdf/OCRmyPDF", path, label, "ocrmypdf-" + Path(path).stem + kind_ext(label),
                      OCR_LICENCES[path])  # fmt: skip
    for stem in GOPHERS:
        name = "gophers-" + stem.replace("/", "-") + ".jpg"
        from_repo("egonelbre/gophers", f"sketch/{stem}.png", "illustration", name, "CC0-1.0 (Egon Elbre)")
    for label, names in WALLPAPERS.items():
        for wallpaper in names:
            folder = Path("/usr/share/wallpapers") / wallpaper / "contents" / "images"
            files = sorted(folder.glob("1920x1080.*")) or sorted(folder.glob("*.*"))
            if files:
                from_file(
                    str(files[0]),
                    label,
                    f"plasma-{wallpaper}.jpg",
                    f"Debian plasma-workspace-wallpapers: {files[0]}",
                    "LGPL-3 / CC-BY-SA (per its copyright file)",
                )
    for label, stems in STAMPS.items():
        for stem in stems:
            path = f"/usr/share/tuxpaint/stamps/{stem}.png"
            from_file(
                path,
                label,
                "tuxpaint-" + Path(stem).name + ".jpg",
                f"Debian tuxpaint-stamps-default 2022.06.04: {path} (on white)",
                "GPL-2+ (per its copyright file)",
            )
    for country in KGEOGRAPHY:
        from_file(f"/usr/share/kgeography/{country}.png", "map", f"kgeography-{country}.png",
                  "Debian kgeography-data 22.12.3", "GPL-2+")  # fmt: skip
    for path, source, licence in SCREENSHOTS:
        from_file(path, "screenshot", Path(path).parent.name + "-" + Path(path).name, f"{source}: {path}", licence)
    for label, paths in SALEOR.items():
        for path in paths:
            name = "saleor-" + Path(path).stem.removeprefix("saleor-") + kind_ext(label)
            from_repo("saleor/saleor", f"saleor/static/placeholders/{path}", label, name, "BSD-3-Clause (Saleor)")
    for name in SCHEMATICS:
        path = f"/usr/share/fritzing/help/images/{name}.png"
        from_file(path, "diagram", f"fritzing-{name}.png", f"Debian fritzing-data 0.9.6: {path}", "GPL-3+")
    header = (
        "# The held-out labelled set of `select: auto`\n\nPictures the rules of pixels.py were never tuned on, "
        "judged by tests/test_heldout.py; made by tools/make_heldout_set.py in the project's repository.\n\n"
        "| file | label | where it came from | licence |\n| --- | --- | --- | --- |\n"
    )
    for root, lines in rows.items():
        if lines:
            (root / "SOURCES.md").write_text(header + "\n".join(sorted(lines)) + "\n")


if __name__ == "__main__":
    main()
