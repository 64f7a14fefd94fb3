// The review gallery: cards built from /api/clips with textContent only (a prompt is data, never markup);
// decisions POSTed as JSON to /api/decide, which writes the review file at once.
(() => {
  "use strict";
  const main = document.getElementById("clips");
  const status = document.getElementById("status");
  const template = document.getElementById("card");
  let clips = [];
  let filter = "all";
  const keyOf = (card) => card && card.dataset.key;

  const label = (row) => `${row.image}, take ${row.take}`;

  function media(row) {
    const url = `/media/animation/${encodeURIComponent(row.key)}`;
    if (/\.(mp4|webm)$/.test(row.animation || "")) {
      const video = document.createElement("video");
      Object.assign(video, { src: url, muted: true, loop: true, autoplay: true, playsInline: true, controls: true });
      video.setAttribute("aria-label", `Animation of ${label(row)}`);
      return video;
    }
    const img = document.createElement("img");
    img.src = url;
    img.alt = `Animation of ${label(row)}`;
    return img;
  }

  function card(row) {
    const node = template.content.firstElementChild.cloneNode(true);
    node.dataset.key = row.key;
    node.dataset.state = row.state;
    node.setAttribute("aria-label", `${label(row)}: ${row.state}`);
    const still = node.querySelector(".still img");
    still.src = `/media/still/${encodeURIComponent(row.key)}`;
    still.alt = `Still of ${row.image}`;
    node.querySelector(".media").append(media(row));
    node.querySelector(".image").textContent = row.image;
    const state = node.querySelector(".state");
    state.textContent = row.state + (row.retake_asked ? " · retake asked for the next build" : "");
    if (row.new) {
      const badge = document.createElement("span");
      badge.className = "new";
      badge.textContent = "new in the last build";
      state.append(badge);
    }
    node.querySelector(".pages").textContent = row.pages.join(", ") || "—";
    node.querySelector(".prompt").textContent = row.prompt || "—";
    node.querySelector(".model").textContent = row.model || "—";
    node.querySelector(".take").textContent = String(row.take);
    node.querySelector(".cost").textContent = row.cost ? `$${row.cost.toFixed(2)}` : "free";
    node.querySelector(".key code").textContent = row.key;
    for (const button of node.querySelectorAll("[data-action]")) {
      button.setAttribute("aria-label", `${button.textContent} ${label(row)}`);
    }
    return node;
  }

  function render(focusKey) {
    const shown = clips.filter((row) => filter === "all" || row.state === filter);
    main.replaceChildren(...shown.map(card));
    document.getElementById("empty").hidden = shown.length > 0;
    for (const state of ["all", "pending", "approved", "rejected"]) {
      const count = state === "all" ? clips.length : clips.filter((row) => row.state === state).length;
      document.querySelector(`[data-count="${state}"]`).textContent = `(${count})`;
    }
    if (focusKey !== undefined) {
      const cards = [...main.children];
      const target = cards.find((c) => keyOf(c) === focusKey) || cards[0];
      if (target) target.focus();
    }
  }

  async function load(focusKey) {
    const response = await fetch("/api/clips", { cache: "no-store" });
    const body = await response.json();
    clips = body.clips;
    document.getElementById("file").textContent = body.file;
    const problems = document.getElementById("problems");
    problems.hidden = body.problems.length === 0;
    problems.textContent = body.problems.join("\n");
    render(focusKey);
  }

  async function decide(card, action) {
    const key = keyOf(card);
    // The next card keeps the focus where this one leaves the filtered view.
    const next = card.nextElementSibling || card.previousElementSibling;
    const response = await fetch("/api/decide", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ key, action }),
    });
    const body = await response.json();
    if (!response.ok) {
      status.textContent = body.error;
      const problems = document.getElementById("problems");
      problems.hidden = false;
      problems.textContent = body.error;
      return;
    }
    const index = clips.findIndex((row) => row.key === key);
    if (index >= 0) clips[index] = body;
    status.textContent = `${label(body)}: ${body.state}${action === "retake" ? ", retake asked" : ""}`;
    const stays = filter === "all" || body.state === filter;
    render(stays ? key : keyOf(next));
  }

  main.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-action]");
    if (button) decide(button.closest(".clip"), button.dataset.action);
  });

  for (const button of document.querySelectorAll("[data-filter]")) {
    button.addEventListener("click", () => {
      filter = button.dataset.filter;
      for (const other of document.querySelectorAll("[data-filter]")) {
        other.setAttribute("aria-pressed", String(other === button));
      }
      render();
    });
  }

  document.addEventListener("keydown", (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const card = document.activeElement && document.activeElement.closest(".clip");
    const cards = [...main.children];
    const at = cards.indexOf(card);
    const move = { j: 1, ArrowDown: 1, ArrowRight: 1, k: -1, ArrowUp: -1, ArrowLeft: -1 }[event.key];
    if (move && !(document.activeElement instanceof HTMLVideoElement)) {
      const target = cards[at < 0 ? 0 : Math.min(cards.length - 1, Math.max(0, at + move))];
      if (target) {
        event.preventDefault();
        target.focus();
        target.scrollIntoView({ block: "nearest" });
      }
      return;
    }
    const action = { a: "approve", r: "reject", t: "retake" }[event.key];
    if (action && card) {
      event.preventDefault();
      decide(card, action);
    }
  });

  load(undefined);
})();
