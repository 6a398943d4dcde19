// Network: hovering (or focusing) a participant shows its links and dims the rest.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const svg = document.getElementById("network");
  if (!svg) return;
  const lines = [...svg.querySelectorAll(".edges line")];
  const nodes = [...svg.querySelectorAll(".nodes a")];
  const show = (id) => {
    const near = new Set([id]);
    for (const l of lines) {
      const hot = l.dataset.s === id || l.dataset.t === id;
      l.classList.toggle("hot", hot);
      if (hot) { near.add(l.dataset.s); near.add(l.dataset.t); }
    }
    for (const n of nodes) n.classList.toggle("hot", near.has(n.dataset.id));
    svg.classList.add("focus");
  };
  const clear = () => {
    svg.classList.remove("focus");
    for (const l of lines) l.classList.remove("hot");
    for (const n of nodes) n.classList.remove("hot");
  };
  for (const n of nodes) {
    n.addEventListener("mouseenter", () => show(n.dataset.id));
    n.addEventListener("focus", () => show(n.dataset.id));
    n.addEventListener("mouseleave", clear);
    n.addEventListener("blur", clear);
  }
});
