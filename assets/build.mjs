// Builds front-end assets into signpost/static: compiled CSS, GOV.UK Frontend's JavaScript, and
// the council's own images. Run by `make` (npm run build); the output is not committed.
import { compile } from "sass";
import { cpSync, mkdirSync, writeFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "signpost", "static");
const govuk = join(root, "node_modules", "govuk-frontend", "dist", "govuk");

rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, "govuk"), { recursive: true });

const css = compile(join(root, "assets", "scss", "signpost.scss"), {
  loadPaths: [join(root, "node_modules")],
  style: "compressed",
  quietDeps: true,
  silenceDeprecations: ["import"],
});
writeFileSync(join(out, "signpost.css"), css.css);

cpSync(join(govuk, "govuk-frontend.min.js"), join(out, "govuk", "govuk-frontend.min.js"));
cpSync(join(root, "assets", "images"), join(out, "images"), { recursive: true });
cpSync(join(root, "assets", "js"), join(out, "js"), { recursive: true });
console.log("Built assets into signpost/static");
