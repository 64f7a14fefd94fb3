/* mkdocs-animate: every animation can be paused (WCAG 2.2.2), and visitors who ask for reduced motion see the
   still image. Videos pause and play on click, Enter and Space; GIF/WebP pictures swap to their still. */
(function () {
  "use strict";
  var reduce = window.matchMedia ? window.matchMedia("(prefers-reduced-motion: reduce)") : null;
  var MOTION_QUERY = "(prefers-reduced-motion: reduce)";

  function showStill(video) {
    video.pause();
    video.removeAttribute("autoplay");
    video.preload = "none";
    video.load(); /* back to the poster: the still image */
  }

  function toggle(el) {
    if (el.tagName === "VIDEO") {
      if (el.paused) { el.play(); } else { el.pause(); }
      el.setAttribute("aria-pressed", el.paused ? "true" : "false");
      return;
    }
    var source = el.parentNode.querySelector("source");
    var paused = el.getAttribute("aria-pressed") === "true";
    if (source) { source.media = paused ? MOTION_QUERY : "all"; }
    el.setAttribute("aria-pressed", paused ? "false" : "true");
  }

  function setup() {
    var items = document.querySelectorAll("video.animate, picture.animate img");
    Array.prototype.forEach.call(items, function (el) {
      if (el.getAttribute("data-animate-ready")) { return; }
      el.setAttribute("data-animate-ready", "1");
      el.setAttribute("role", "button");
      el.setAttribute("aria-pressed", "false");
      if (el.tagName === "VIDEO") {
        el.muted = true;
        if (reduce && reduce.matches) { showStill(el); el.setAttribute("aria-pressed", "true"); }
      }
      el.addEventListener("click", function (event) { event.preventDefault(); toggle(el); });
      el.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") { event.preventDefault(); toggle(el); }
      });
    });
  }

  if (reduce && reduce.addEventListener) {
    reduce.addEventListener("change", function () {
      if (!reduce.matches) { return; }
      Array.prototype.forEach.call(document.querySelectorAll("video.animate"), function (video) {
        showStill(video);
        video.setAttribute("aria-pressed", "true");
      });
    });
  }
  /* mkdocs-material's instant navigation swaps pages without a reload: run again on each new page. */
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(setup);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
