// Timeline: drag across the years to zoom into them (the page reloads with
// from=…&to=…, so the zoomed view has its own address and its own list of events).
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const svg = document.getElementById("timeline");
  const brush = document.getElementById("brush");
  if (!svg || !brush) return;
  const from = Number(svg.dataset.from), to = Number(svg.dataset.to);
  const left = Number(svg.dataset.left), col = Number(svg.dataset.col);
  const toSvgX = (event) => {
    const pt = svg.createSVGPoint();
    pt.x = event.clientX; pt.y = event.clientY;
    return pt.matrixTransform(svg.getScreenCTM().inverse()).x;
  };
  const yearAt = (x) => Math.min(to, Math.max(from, from + Math.floor((x - left) / col)));
  let start = null;
  svg.addEventListener("pointerdown", (e) => {
    if (e.button !== 0) return;
    start = toSvgX(e);
    brush.setAttribute("x", start); brush.setAttribute("width", 0);
    svg.setPointerCapture(e.pointerId);
    e.preventDefault();
  });
  svg.addEventListener("pointermove", (e) => {
    if (start === null) return;
    const x = toSvgX(e);
    brush.setAttribute("x", Math.min(x, start));
    brush.setAttribute("width", Math.abs(x - start));
  });
  svg.addEventListener("pointerup", (e) => {
    if (start === null) return;
    const end = toSvgX(e);
    const moved = Math.abs(end - start) > col / 2;
    const a = yearAt(Math.min(start, end)), b = yearAt(Math.max(start, end));
    start = null;
    if (!moved) { brush.setAttribute("width", 0); return; }
    const url = new URL(svg.dataset.href, window.location.href);
    url.searchParams.set("from", a); url.searchParams.set("to", b);
    window.location.assign(url.href);
  });
  // A click on a bar without dragging follows its link (the <a> around it).
});
