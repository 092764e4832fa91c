// Progressive enhancement only: every page works without JavaScript.
import { initAll } from "/static/govuk/govuk-frontend.min.js";

initAll();

for (const button of document.querySelectorAll("[data-signpost-print]")) {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
}

// Search filters start closed so that on a phone the results come first; on wider screens open them.
if (window.matchMedia("(min-width: 40.0625em)").matches) {
  for (const filters of document.querySelectorAll("[data-signpost-filters]")) {
    filters.open = true;
  }
}
