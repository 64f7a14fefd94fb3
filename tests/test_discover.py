"""Table tests of finding images in HTML text and resolving their URLs: pure functions, no build."""

from __future__ import annotations

import pytest

from mkdocs_animate_plugin.markup.rewrite import animated, mark, unmark
from mkdocs_animate_plugin.markup.tags import img_tags, splice
from mkdocs_animate_plugin.selection.discover import find_images, site_path
from mkdocs_animate_plugin.selection.rules import url_problem


def test_tags_in_comments_and_scripts_are_not_images():
    html = (
        '<p><img src="a.png" alt="x &gt; y"></p><!-- <img src="comment.png"> -->'
        '<script>var s = "<img src=script.png>";</script><pre><code>&lt;img src="code.png"&gt;</code></pre>'
        "<IMG SRC='b.png' data-animate>"
    )
    tags = list(img_tags(html))
    assert [t.get("src") for t in tags] == ["a.png", "b.png"]
    assert tags[0].get("alt") == "x > y" and tags[1].get("data-animate") == ""
    assert [c.src for c in find_images(html)] == ["a.png", "b.png"]


def test_context_and_links():
    html = (
        "<p>Cats sleep a lot.</p><figure><p><img src='cat.png' alt='A cat'></p>"
        "<figcaption>Chelsea the cat</figcaption></figure><p>They purr.</p>"
        "<p><a href='x'><img src='linked.png'></a></p>"
    )
    cat, linked = find_images(html)
    assert "A cat" in cat.context and "Chelsea the cat" in cat.context
    assert not cat.in_link and linked.in_link


def test_a_link_that_shows_the_picture_larger_is_no_link():
    # mkdocs-glightbox's link, and links to the image's own file (however written), open the picture: animated.
    # A link anywhere else, even to another size of the picture, keeps the still.
    html = (
        "<p><a class='glightbox' href='img/a.png' data-type='image'><img src='img/a.png'></a></p>"
        "<p><a href='../img/b%20c.png'><img src='../img/./b c.png'></a></p>"
        "<p><a href='img/big/d.png'><img src='img/d.png'></a></p>"
        "<p><a href='other/'><img src='img/e.png'></a></p>"
        "<p><a href='#top'><img src=''></a></p>"
    )
    assert [c.in_link for c in find_images(html)] == [False, False, True, True, True]


@pytest.mark.parametrize(
    ("attrs", "expected"),
    [
        ("data-animate", {"opted_in": True, "opted_out": False}),
        ('data-animate="data-animate"', {"opted_in": True}),
        ('data-animate="false"', {"opted_in": False, "opted_out": True}),
        ('class="wide no-animate"', {"opted_out": True}),
        ('data-animate-output="gif" data-animate-take="3"', {"output": "gif", "take": 3}),
        ('data-animate-prompt="  Leaves sway. "', {"prompt": "Leaves sway."}),
        ('data-animate-take="0"', {"take": 1, "problems": ("data-animate-take='0' is not a whole number from 1",)}),
    ],
)
def test_per_image_attributes(attrs, expected):
    (candidate,) = find_images(f'<p><img src="a.png" {attrs}></p>')
    for name, value in expected.items():
        assert getattr(candidate, name) == value, name


@pytest.mark.parametrize(
    ("src", "reason"),
    [
        ("https://example.org/a.png", "remote"),
        ("//cdn.example.org/a.png", "remote"),
        ("data:image/png;base64,AAAA", "data URI"),
        ("img/drawing.SVG?x=1", "SVG"),
        ("", "no src"),
        ("img/a.png", None),
        ("/img/a%20b.png#top", None),
    ],
)
def test_url_problem(src, reason):
    assert url_problem(src) == reason


@pytest.mark.parametrize(
    ("src", "page_dir", "prefix", "path"),
    [
        ("../img/a.png", "animals/cat", "/", "animals/img/a.png"),
        ("../../img/a.png", "animals/cat", "/", "img/a.png"),
        ("img/a%20b%20%C3%A9.png?v=2#x", "", "/", "img/a b é.png"),
        ("/docs/img/a.png", "deep/page", "/docs/", "img/a.png"),
        ("/img/a.png", "deep/page", "/", "img/a.png"),
        ("../../../etc/passwd", "a", "/", None),
    ],
)
def test_site_path(src, page_dir, prefix, path):
    assert site_path(src, page_dir, prefix) == path


def test_mark_and_unmark_give_back_the_exact_tag():
    html = '<p>x <img alt="a" src="a.png" /> y</p>'
    (tag,) = img_tags(html)
    marked = splice(html, [mark(tag, "k" * 20)])
    (marked_tag,) = img_tags(marked)
    assert marked_tag.get("data-animate-key") == "k" * 20
    assert splice(marked, [unmark(marked, marked_tag)]) == html


def test_animated_markup_keeps_attributes():
    text = '<img src="a.png" alt="A &quot;cat&quot;" class="wide" loading="lazy" data-x="1">'
    (tag,) = img_tags(text)
    video = animated(tag, text, "assets/animate/k.mp4", "mp4", (640, 426), (641, 427), clip="c" * 20)
    assert video.startswith(text[:-1]), "the still stays as it was written; the animation is named at its end"
    assert video.endswith(
        ' data-animate-key="cccccccccccccccccccc" data-animate-src="assets/animate/k.mp4"'
        ' data-animate-type="video/mp4" data-animate-size="640x426">'
    )
    picture = animated(tag, text, "k.gif", "gif", (640, 426), clip="c" * 20)
    assert picture.startswith(text[:-1]) and ' data-animate-src="k.gif" data-animate-type="image/gif"' in picture
