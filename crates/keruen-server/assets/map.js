// Map: zoom with the wheel (or + and -), move by dragging. The SVG's viewBox changes;
// strokes keep their width (vector-effect in the stylesheet).
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const svg = document.getElementById("map");
  if (!svg) return;
  const W = Number(svg.dataset.width), H = Number(svg.dataset.height);
  let box = { x: 0, y: 0, w: W, h: H };
  const apply = () => svg.setAttribute("viewBox", `${box.x} ${box.y} ${box.w} ${box.h}`);
  const clamp = () => {
    box.w = Math.min(W, Math.max(W / 12, box.w)); box.h = box.w * H / W;
    box.x = Math.min(W - box.w, Math.max(0, box.x)); box.y = Math.min(H - box.h, Math.max(0, box.y));
  };
  const point = (e) => {
    const r = svg.getBoundingClientRect();
    return { x: box.x + (e.clientX - r.left) / r.width * box.w, y: box.y + (e.clientY - r.top) / r.height * box.h };
  };
  const zoom = (factor, at) => {
    const nw = box.w * factor;
    box.x = at.x - (at.x - box.x) * factor; box.y = at.y - (at.y - box.y) * factor;
    box.w = nw; clamp(); apply();
  };
  svg.addEventListener("wheel", (e) => { e.preventDefault(); zoom(e.deltaY > 0 ? 1.2 : 1 / 1.2, point(e)); }, { passive: false });
  let drag = null, moved = false;
  svg.addEventListener("pointerdown", (e) => { drag = { x: e.clientX, y: e.clientY, box: { ...box } }; moved = false; });
  svg.addEventListener("pointermove", (e) => {
    if (!drag) return;
    const r = svg.getBoundingClientRect();
    const dx = (e.clientX - drag.x) / r.width * box.w, dy = (e.clientY - drag.y) / r.height * box.h;
    if (Math.abs(e.clientX - drag.x) + Math.abs(e.clientY - drag.y) > 4) { moved = true; svg.classList.add("dragging"); }
    box.x = drag.box.x - dx; box.y = drag.box.y - dy; clamp(); apply();
  });
  const stop = () => { drag = null; svg.classList.remove("dragging"); };
  svg.addEventListener("pointerup", stop); svg.addEventListener("pointerleave", stop);
  // A drag must not follow the link under the pointer.
  svg.addEventListener("click", (e) => { if (moved) { e.preventDefault(); moved = false; } }, true);
  document.addEventListener("keydown", (e) => {
    if (e.target.closest("input, select, textarea")) return;
    const centre = { x: box.x + box.w / 2, y: box.y + box.h / 2 };
    if (e.key === "+" || e.key === "=") zoom(1 / 1.3, centre);
    if (e.key === "-") zoom(1.3, centre);
    if (e.key === "0") { box = { x: 0, y: 0, w: W, h: H }; apply(); }
  });
});
