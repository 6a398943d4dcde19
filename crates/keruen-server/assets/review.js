// Review queue keys: a accept, r reject, j/↓ next, k/↑ previous, o open the source.
// Decisions are posted in the background; the item greys out and the next one is
// selected. Without this script the buttons post the form and the page reloads.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const list = document.getElementById("queue");
  if (!list) return;
  const status = document.getElementById("review-status");
  const items = () => [...list.querySelectorAll("li.item")];
  let current = 0;
  const select = (i) => {
    const all = items();
    if (!all.length) return;
    current = Math.max(0, Math.min(all.length - 1, i));
    all.forEach((el, k) => el.setAttribute("aria-selected", k === current ? "true" : "false"));
    all[current].scrollIntoView({ block: "nearest", behavior: "smooth" });
  };
  const decide = async (item, decision) => {
    const form = item.querySelector("form.decide");
    if (!form || item.classList.contains("done")) return;
    const body = new URLSearchParams(new FormData(form));
    body.set("decision", decision);
    const res = await fetch(form.action, {
      method: "POST", body, credentials: "same-origin",
      headers: { "Accept": "application/json", "Content-Type": "application/x-www-form-urlencoded" },
    });
    if (res.ok) {
      item.classList.add("done");
      item.dataset.decision = decision;
      if (status) status.textContent = `${item.querySelector(".title").textContent}: ${decision}`;
      const next = items().findIndex((el, k) => k > current && !el.classList.contains("done"));
      if (next >= 0) select(next);
    } else {
      const err = await res.json().catch(() => null);
      if (status) status.textContent = err && err.error ? err.error.message : `error ${res.status}`;
    }
  };
  for (const form of list.querySelectorAll("form.decide")) {
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      const item = form.closest("li.item");
      select(items().indexOf(item));
      decide(item, e.submitter ? e.submitter.value : "accepted");
    });
  }
  document.addEventListener("keydown", (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey || e.target.closest("input, textarea, select")) return;
    const item = items()[current];
    switch (e.key) {
      case "a": if (item) decide(item, "accepted"); break;
      case "r": if (item) decide(item, "rejected"); break;
      case "j": case "ArrowDown": select(current + 1); break;
      case "k": case "ArrowUp": select(current - 1); break;
      case "s": select(current + 1); break;
      case "o": { const a = item && item.querySelector("p a"); if (a) window.location.assign(a.href); break; }
      default: return;
    }
    e.preventDefault();
  });
  select(0);
});
