// Progressive enhancement only: every page works without JavaScript.
import { initAll } from "/static/govuk/govuk-frontend.min.js";

initAll();

for (const button of document.querySelectorAll("[data-signpost-print]")) {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
}
