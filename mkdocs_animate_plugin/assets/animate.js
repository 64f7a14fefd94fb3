/* mkdocs-animate: plays each animation exactly over its still image, and lets every visitor pause it.

   The page keeps every still <img> as it was written, with its animation named in data-animate-src (and, for a
   video in several codecs, every source best first in data-animate-sources: the browser plays the first it can
   decode, AV1 where it can, else the H.264 that every browser plays, and downloads only that one). The still is
   never moved, wrapped or given a sibling: the theme's rules (img[align=left], .md-typeset img[align]:only-child,
   figure img, a frame, max-width) lay it out as they would without the plugin. The animation is drawn as a layer
   from a shadow root on the nearest ancestor that can hold one (a <p>, <div>, <article>...): the page's own tree,
   which the theme's selectors and scripts see, gains no element. The layer is laid over the still's content box
   (its box minus border and padding) and kept there when anything resizes.

   - A layer downloads its clip only when the still comes near the viewport, plays only while it is in view, and
     pauses when scrolled away or hidden (a closed tab, a collapsed block).
   - A small pause/play button sits in a corner of every animation (WCAG 2.2.2); click, Enter and Space on the
     animation itself do the same. A GIF or WebP that is paused shows the still.
   - Reduced motion, or Save-Data (a metered connection): nothing downloads or plays, the still shows, the button
     offers to play.
   - A still the browser could not draw (a TIFF, a broken file) gets no layer: the animation never plays in a
     broken box.
   - A linked still keeps its link: a click on the animation goes through to it (a lightbox opens), and only the
     button pauses.
   - The script is linked from every page of the site and sets up each page reached without a reload (Material's
     instant navigation, its `document$`, and any other script that swaps the page's content), and forgets the
     animations of the page it left.
   - Without this script (or without IntersectionObserver, ResizeObserver and shadow DOM) the still shows. */
(function () {
  "use strict";
  if (window.mkdocsAnimate) { return; } /* loaded twice (a page swapped in by instant navigation): once is enough */
  if (!("IntersectionObserver" in window && "ResizeObserver" in window && document.head.attachShadow)) { return; }

  var SELECTOR = "img[data-animate-src]";
  var HOSTS = /^(ARTICLE|ASIDE|BLOCKQUOTE|BODY|DIV|FOOTER|H[1-6]|HEADER|MAIN|NAV|P|SECTION|SPAN)$/;
  var TABLES = /^(TD|TH|TR|TBODY|THEAD|TFOOT|TABLE|CAPTION)$/;
  var NEAR = "50% 0px 50% 0px"; /* within half a screen above or below: start downloading */
  var reduce = window.matchMedia ? window.matchMedia("(prefers-reduced-motion: reduce)") : { matches: false };
  var connection = navigator.connection || {}; /* saveData: the visitor asked for fewer bytes */
  var ICONS = {
    pause: '<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d="M7 5h3.5v14H7zM13.5 5H17v14h-3.5z"/></svg>',
    play: '<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d="M8 5v14l11-7z"/></svg>'
  };
  var STYLE =
    ".animate-box{position:absolute;left:0;top:0;width:0;height:0;margin:0;padding:0;border:0;" +
    "box-sizing:border-box;visibility:hidden;pointer-events:none;display:block}" +
    ".animate-box.placed{visibility:visible}" +
    ".animate-box.placed[data-state=still]{visibility:hidden}" + /* no layer, no button: the still as it is */
    ".animate-layer{position:absolute;left:0;top:0;width:100%;height:100%;max-width:none;max-height:none;" +
    "margin:0;padding:0;border:0;display:block;background:transparent;opacity:0;pointer-events:auto;cursor:pointer;" +
    "outline:none}" +
    ".animate-layer.shown{opacity:1}" +
    ".in-link .animate-layer{pointer-events:none;cursor:inherit}" + /* a click follows the link under it */
    ".animate-layer:focus-visible{outline:3px solid;outline-offset:-3px}" +
    /* a dark disc in a light ring: one of the two stands out from any picture (3:1 at least) */
    ".animate-button{position:absolute;right:6px;bottom:6px;width:28px;height:28px;margin:0;padding:0;" +
    "box-sizing:border-box;border:2px solid #fff;border-radius:50%;background:rgba(0,0,0,.65);color:#fff;" +
    "display:flex;align-items:center;justify-content:center;cursor:pointer;pointer-events:auto;line-height:0;" +
    "font-size:0}" +
    ".small .animate-button{right:3px;bottom:3px;width:20px;height:20px;border-width:1.5px}" +
    ".animate-button:hover{background:rgba(0,0,0,.85)}" +
    /* focused: a dark and a light ring around it, one of them seen on any picture (the outline, transparent,
       is what forced colours draw) */
    ".animate-button:focus-visible{outline:2px solid transparent;box-shadow:0 0 0 2px #000,0 0 0 4px #fff}" +
    ".animate-button svg{width:70%;height:70%;fill:currentColor}" +
    "@media print{.animate-box{display:none}}";

  var items = [];
  var body = null; /* the body observed for resizing */
  var byStill = new WeakMap();
  var scheduled = false;

  var near = new IntersectionObserver(function (entries) {
    entries.forEach(function (entry) { withItem(entry.target, function (item) { item.near = entry.isIntersecting; update(item); }); });
  }, { rootMargin: NEAR });
  var inView = new IntersectionObserver(function (entries) {
    entries.forEach(function (entry) {
      withItem(entry.target, function (item) { item.visible = entry.isIntersecting; place(item); update(item); });
    });
  });
  var resized = new ResizeObserver(function () { schedule(); });

  function withItem(still, action) {
    var item = byStill.get(still);
    if (item) { action(item); }
  }

  /* --- where the layer lives ------------------------------------------------------------------------------ */

  function hostOf(still) {
    var el = still.parentElement;
    if (el && el.tagName === "A" && el.children.length === 1) { el = el.parentElement; } /* a linked picture */
    if (!el) { return null; }
    if (el.shadowRoot && el.shadowRoot.mkdocsAnimate) { return el; }
    if (!HOSTS.test(el.tagName) || el.shadowRoot || !sizedByItsParent(el) || el.querySelector("table")) { return null; }
    try {
      var root = el.attachShadow({ mode: "open" });
    } catch (error) {
      return null; /* a closed shadow root of someone else's */
    }
    root.mkdocsAnimate = true;
    root.innerHTML = "<style>" + STYLE + "</style><slot></slot>"; /* every child renders as before */
    if (clipper(el, true)) { root.querySelector("style").textContent += ":host{position:relative}"; }
    return el;
  }

  /* Elsewhere (a figure, a list item or a table cell holds the still; no cell can hold a shadow root, and a slot
     above a table changes how Chromium sizes a percentage-wide table in a shrink-to-fit wrapper: Material's grew
     by 7 px), the layer gets an element of its own right after the still, out of the flow, holding the shadow
     root. */
  function ownHost(still) {
    var span = document.createElement("span");
    span.setAttribute("data-animate-layer", "");
    span.style.cssText = "position:absolute;left:0;top:0;width:0;height:0;margin:0;padding:0;border:0;display:block";
    var root = span.attachShadow({ mode: "open" });
    root.mkdocsAnimate = true;
    root.innerHTML = "<style>" + STYLE + "</style>";
    var scroller = clipper(still.parentElement, false);
    if (scroller) { scroller.style.position = "relative"; }
    still.after(span);
    return span;
  }

  /* Only a block whose width its parent gives (not shrink-to-fit: no inline-block, float, flex or grid item) holds
     the shadow root. A default slot renders its children as before, but the width of a shrink-to-fit box is
     measured from its children, and percentages (Material's table at width:100% in an inline-block wrapper) are
     then resolved differently through the slot: the wrapper grew by 7 px. */
  function sizedByItsParent(el) {
    var style = getComputedStyle(el), parent = el.parentElement;
    if (!/^(block|flow-root|list-item)$/.test(style.display) || style.float !== "none") { return false; }
    if (style.position === "absolute" || style.position === "fixed") { return false; }
    return !parent || !/flex|grid|inline|table/.test(getComputedStyle(parent).display) || el === document.body;
  }

  /* A layer is clipped and scrolled by the boxes between it and its containing block. Where a scrolling or
     clipping box (Material's table wrapper) stands between `from` and the nearest positioned ancestor, the layer
     needs a containing block inside it: the host itself (made relative from its shadow root, so its own attributes
     stay as they were), or that scroller. */
  function clipper(from, self) {
    if (self && getComputedStyle(from).position !== "static") { return null; }
    for (var el = from; el && el !== document.documentElement; el = el.parentElement) {
      var style = getComputedStyle(el);
      if (el !== from && style.position !== "static") { return null; }
      if (style.overflowX !== "visible" || style.overflowY !== "visible") { return self ? from : el; }
    }
    return null;
  }

  /* --- one animation -------------------------------------------------------------------------------------- */

  function setup(still) {
    if (byStill.has(still)) { return; }
    var host = hostOf(still) || ownHost(still);
    var video = (still.getAttribute("data-animate-type") || "").indexOf("video/") === 0;
    var box = document.createElement("span");
    box.className = "animate-box";
    box.setAttribute("part", "animate-box");
    box.setAttribute("data-key", still.getAttribute("data-animate-key") || "");
    var layer = document.createElement(video ? "video" : "img");
    layer.className = "animate-layer";
    layer.setAttribute("part", "animate-layer");
    layer.setAttribute("aria-hidden", "true"); /* the still keeps the alt text */
    layer.tabIndex = -1;
    if (video) {
      layer.muted = true;
      ["muted", "loop", "playsinline", "disablepictureinpicture", "disableremoteplayback"].forEach(function (name) {
        layer.setAttribute(name, "");
      });
      layer.preload = "none";
    } else {
      layer.alt = "";
      layer.draggable = false;
    }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "animate-button";
    button.setAttribute("part", "animate-button");
    box.appendChild(layer);
    box.appendChild(button);
    var link = still.closest("a[href]");
    if (link) { box.classList.add("in-link"); }
    host.shadowRoot.appendChild(box);
    var item = {
      still: still, host: host, box: box, layer: layer, button: button, video: video,
      src: still.getAttribute("data-animate-src"), type: still.getAttribute("data-animate-type"), sources: sourcesOf(still),
      min: /^(\d+)x(\d+)$/.exec(still.getAttribute("data-animate-min") || ""),
      near: false, visible: false, shown: false, loaded: false, failed: false, paused: false, played: false, label: ""
    };
    byStill.set(still, item);
    items.push(item);

    function toggle(event) {
      event.preventDefault();
      event.stopPropagation();
      if (wanted(item)) { item.paused = true; item.played = false; } else { item.paused = false; item.played = true; }
      update(item);
    }
    button.addEventListener("click", toggle);
    layer.addEventListener("click", toggle);
    layer.addEventListener("keydown", function (event) {
      if (event.key === "Enter" || event.key === " ") { toggle(event); }
    });
    if (video) {
      ["loadeddata", "playing", "pause"].forEach(function (name) { layer.addEventListener(name, function () { update(item); }); });
    } else {
      layer.addEventListener("load", function () { update(item); });
      layer.addEventListener("error", function () { item.failed = true; update(item); });
    }
    /* a still that loads late (loading=lazy) or never (a TIFF, a broken file) */
    still.addEventListener("load", function () { place(item); update(item); });
    still.addEventListener("error", function () { update(item); });
    near.observe(still);
    inView.observe(still);
    item.watched = [still, still.parentElement || still, host];
    item.watched.forEach(function (el) { resized.observe(el); });
    place(item);
    update(item);
  }

  /* The video's sources, best first: data-animate-sources where the build wrote it, else the one file. */
  function sourcesOf(still) {
    try {
      var listed = JSON.parse(still.getAttribute("data-animate-sources") || "null");
      if (Array.isArray(listed) && listed.length) { return listed; }
    } catch (error) { /* a page edited by hand: its one file */ }
    return [{ src: still.getAttribute("data-animate-src"), type: still.getAttribute("data-animate-type") }];
  }

  function wanted(item) {
    return !item.failed && !item.paused && (!(reduce.matches || connection.saveData) || item.played);
  }

  /* Whether the browser drew an image (the still: a layer is laid only over a picture that is there; or an image
     layer, shown once drawn). */
  function drawn(image) {
    return image.complete && image.naturalWidth > 0;
  }

  function load(item) {
    item.loaded = true;
    if (item.video) {
      item.sources.forEach(function (listed, index) {
        var source = document.createElement("source");
        source.src = listed.src;
        source.type = listed.type;
        if (index === item.sources.length - 1) { /* the last one failed too: the still stays */
          source.addEventListener("error", function () { item.failed = true; update(item); });
        }
        item.layer.appendChild(source);
      });
      item.layer.preload = "auto";
      item.layer.load();
    } else {
      item.layer.src = item.src;
    }
  }

  function update(item) {
    var layer = item.layer, want = wanted(item), there = drawn(item.still);
    if (want && there && item.near && item.shown && !item.loaded) { load(item); }
    var run = want && item.visible && item.shown && item.loaded;
    var shown;
    if (item.video) {
      if (run && layer.paused) {
        var playing = layer.play();
        if (playing && playing.catch) { playing.catch(function () { /* paused again before it started */ }); }
      } else if (!run && !layer.paused) {
        layer.pause();
      }
      /* a paused video shows the frame it stopped on; one stopped for reduced motion shows the still */
      shown = item.loaded && !item.failed && layer.readyState >= 2 && (want || item.paused);
    } else {
      shown = want && item.loaded && drawn(layer);
    }
    layer.classList.toggle("shown", !!shown);
    var state = item.failed || !there ? "still" : want ? "playing" : "paused";
    item.box.setAttribute("data-state", state);
    var label = want ? "Pause animation" : "Play animation";
    if (label !== item.label) {
      item.label = label;
      item.button.setAttribute("aria-label", label);
      item.button.innerHTML = want ? ICONS.pause : ICONS.play;
    }
  }

  /* Lay the layer over the still's content box: where the still is drawn, inside its border and padding. */
  function measure(item) {
    var still = item.still, rect = still.getBoundingClientRect(), style = getComputedStyle(still);
    if (!still.isConnected || !rect.width || !rect.height || style.visibility === "hidden") { return null; }
    var left = px(style.borderLeftWidth) + px(style.paddingLeft), right = px(style.borderRightWidth) + px(style.paddingRight);
    var top = px(style.borderTopWidth) + px(style.paddingTop), bottom = px(style.borderBottomWidth) + px(style.paddingBottom);
    return {
      left: rect.left + left, top: rect.top + top,
      width: Math.max(0, rect.width - left - right), height: Math.max(0, rect.height - top - bottom),
      box: item.box.getBoundingClientRect(), style: style, rect: rect, inset: [top, right, bottom, left]
    };
  }

  function apply(item, m) {
    var box = item.box, layer = item.layer;
    if (m && shownSmall(item, m)) { m = null; }
    item.shown = !!m;
    if (!m) { box.classList.remove("placed"); return; }
    var dx = m.left - m.box.left, dy = m.top - m.box.top;
    if (Math.abs(dx) > 0.01 || Math.abs(dy) > 0.01) {
      box.style.left = (px(box.style.left) + dx) + "px";
      box.style.top = (px(box.style.top) + dy) + "px";
    }
    box.style.width = m.width + "px";
    box.style.height = m.height + "px";
    box.classList.toggle("small", m.width < 120 || m.height < 90);
    var s = m.style;
    layer.style.objectFit = s.objectFit;
    layer.style.objectPosition = s.objectPosition;
    layer.style.filter = s.filter;
    if (s.position !== "static" && s.zIndex !== "auto") { box.style.zIndex = s.zIndex; }
    /* the still's rounded corners, as they clip its content box */
    layer.style.borderRadius = [
      corner(s.borderTopLeftRadius, m.rect.width, Math.max(m.inset[3], m.inset[0])),
      corner(s.borderTopRightRadius, m.rect.width, Math.max(m.inset[1], m.inset[0])),
      corner(s.borderBottomRightRadius, m.rect.width, Math.max(m.inset[1], m.inset[2])),
      corner(s.borderBottomLeftRadius, m.rect.width, Math.max(m.inset[3], m.inset[2]))
    ].join(" ");
    box.classList.add("placed");
  }

  function place(item) { apply(item, measure(item)); }

  /* A still the theme shows smaller than the build's min_width x min_height (data-animate-min, in CSS pixels) is
     used as an icon, by a rule the build could not read: its layer is neither downloaded nor drawn. */
  function shownSmall(item, m) {
    return !!item.min && (m.width < +item.min[1] || m.height < +item.min[2]);
  }

  function corner(value, width, inset) {
    var radius = parseFloat(value) || 0;
    if (/%/.test(value)) { radius = radius * width / 100; }
    return Math.max(0, radius - inset) + "px";
  }

  function px(value) { return parseFloat(value) || 0; }

  /* Everything is measured first and then written, once a frame at most. */
  function schedule() {
    if (scheduled) { return; }
    scheduled = true;
    requestAnimationFrame(function () {
      scheduled = false;
      var measured = items.map(measure);
      items.forEach(function (item, index) {
        var was = item.shown;
        apply(item, measured[index]);
        if (was !== item.shown) { update(item); }
      });
    });
  }

  /* --- the page ------------------------------------------------------------------------------------------- */

  /* Set up the page's animations, once each, and forget those of a page that was swapped away. */
  function scan() {
    var gone = items.filter(function (item) { return !item.still.isConnected; });
    if (gone.length) {
      items = items.filter(function (item) { return item.still.isConnected; });
      var kept = [];
      items.forEach(function (item) { kept.push.apply(kept, item.watched); });
      gone.forEach(function (item) { forget(item, kept); });
    }
    Array.prototype.forEach.call(document.querySelectorAll(SELECTOR), setup);
    if (body !== document.body) {
      if (body) { resized.unobserve(body); }
      body = document.body;
      resized.observe(body);
    }
  }

  function forget(item, kept) {
    near.unobserve(item.still);
    inView.unobserve(item.still);
    item.watched.forEach(function (el) { if (kept.indexOf(el) < 0) { resized.unobserve(el); } });
    if (item.video) { item.layer.pause(); }
    item.box.remove();
    if (item.host.hasAttribute("data-animate-layer")) { item.host.remove(); }
  }

  /* Content swapped in or out by a script (instant navigation of any kind): scanned again. */
  function swapped(mutations) {
    var added = false, removed = false;
    mutations.forEach(function (mutation) {
      removed = removed || mutation.removedNodes.length > 0;
      Array.prototype.forEach.call(mutation.addedNodes, function (node) {
        added = added || (node.nodeType === 1 && (node.matches(SELECTOR) || !!node.querySelector(SELECTOR)));
      });
    });
    if (added || (removed && items.some(function (item) { return !item.still.isConnected; }))) { scan(); }
  }

  /* For a look from the console (or a test): the animations of the page, in order. */
  window.mkdocsAnimate = {
    scan: scan,
    items: function () {
      return items.map(function (item) {
        return { still: item.still, box: item.box, layer: item.layer, button: item.button, state: item.box.getAttribute("data-state") };
      });
    }
  };
  window.addEventListener("resize", schedule);
  window.addEventListener("load", schedule);
  document.addEventListener("scroll", function () { if (items.length) { schedule(); } }, { capture: true, passive: true });
  if (document.fonts && document.fonts.ready) { document.fonts.ready.then(schedule); }
  [reduce, connection].forEach(function (setting) {
    if (setting.addEventListener) { setting.addEventListener("change", function () { items.forEach(update); }); }
  });

  /* mkdocs-material's instant navigation (or any other script) swaps pages without a reload: the mutation
     observer sets up each new page's animations. A page restored from the back/forward cache is checked again. */
  new MutationObserver(swapped).observe(document.documentElement, { childList: true, subtree: true });
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) { scan(); items.forEach(update); schedule(); }
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", scan);
  } else {
    scan();
  }
})();
