// Small enhancements shared by every page; each page works without them.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  // Source page: show or hide each kind of highlight.
  for (const box of document.querySelectorAll("input[data-toggle]")) {
    box.addEventListener("change", () => {
      document.body.classList.toggle("hide-" + box.dataset.toggle, !box.checked);
    });
  }
  // Calendar: the feed's address in full, ready to copy into a calendar program.
  for (const input of document.querySelectorAll("input[data-absolute]")) {
    input.value = new URL(input.value, window.location.href).href;
    input.addEventListener("focus", () => input.select());
  }
});
