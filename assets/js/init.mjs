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

// Keyboard shortcuts on the call handler's pages: Alt+Shift and a letter (never a single key, WCAG 2.1.4), listed
// on the page in [data-signpost-shortcuts], each naming an element to focus or click by data-shortcut-target.
// Ignored while typing in a field, and can be turned off (remembered in this browser).
const shortcuts = document.querySelector("[data-signpost-shortcuts]");
if (shortcuts) {
  const STORE = "signpost-shortcuts-off";
  const toggle = shortcuts.querySelector("[data-signpost-shortcuts-toggle]");
  const status = shortcuts.querySelector("[data-signpost-shortcuts-status]");
  let off = false;
  try {
    off = window.localStorage.getItem(STORE) === "1";
  } catch {
    // storage refused (private mode): shortcuts stay on for this page
  }
  const show = () => {
    toggle.textContent = off ? toggle.dataset.turnOn : toggle.dataset.turnOff;
    toggle.setAttribute("aria-pressed", off ? "false" : "true");
  };
  toggle.hidden = false;
  show();
  toggle.addEventListener("click", () => {
    off = !off;
    try {
      window.localStorage.setItem(STORE, off ? "1" : "0");
    } catch {
      // not remembered, but still changed for this page
    }
    show();
    status.textContent = off ? toggle.dataset.saidOff : toggle.dataset.saidOn;
  });

  const results = () => [...document.querySelectorAll("[data-shortcut-result]")];
  const current = () => results().find((result) => result.contains(document.activeElement));
  const focusResult = (step) => {
    const all = results();
    if (!all.length) return;
    const at = all.indexOf(current());
    const next = all[at === -1 ? (step > 0 ? 0 : all.length - 1) : Math.min(Math.max(at + step, 0), all.length - 1)];
    next.querySelector("a").focus();
  };
  const actions = {
    KeyS: () => document.querySelector("[data-shortcut-target=search]")?.focus(),
    KeyN: () => focusResult(1),
    KeyP: () => focusResult(-1),
    KeyA: () => {
      const result = current() || results().find((each) => each.querySelector("[data-shortcut-target=add]"));
      result?.querySelector("[data-shortcut-target=add]")?.click();
    },
    KeyR: () => document.querySelector("[data-shortcut-target=record]")?.click(),
    KeyH: () => document.querySelector("[data-shortcut-target=history]")?.click(),
  };
  document.addEventListener("keydown", (event) => {
    if (off || !event.altKey || !event.shiftKey || event.ctrlKey || event.metaKey) return;
    const typing = event.target.closest?.("input, textarea, select, [contenteditable]:not([contenteditable=false])");
    if (typing || !(event.code in actions)) return;
    event.preventDefault();
    actions[event.code]();
  });
}
