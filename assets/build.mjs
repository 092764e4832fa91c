// Builds front-end assets into signpost/static: compiled CSS, GOV.UK Frontend's JavaScript and the
// council's images. Every file a page links to is fingerprinted (name.<hash>.ext) and listed in
// manifest.json, so it can be cached for a year. Run by `make` (npm run build); output is not committed.
import { compile } from "sass";
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "signpost", "static");
const govuk = join(root, "node_modules", "govuk-frontend", "dist", "govuk");
const manifest = {};

function fingerprinted(logical, content) {
  const hash = createHash("sha256").update(content).digest("hex").slice(0, 12);
  const dot = logical.indexOf(".", logical.lastIndexOf("/") + 1);
  const name = `${logical.slice(0, dot)}.${hash}${logical.slice(dot)}`;
  mkdirSync(dirname(join(out, name)), { recursive: true });
  writeFileSync(join(out, name), content);
  manifest[logical] = name;
  return name;
}

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const css = compile(join(root, "assets", "scss", "signpost.scss"), {
  loadPaths: [join(root, "node_modules")],
  style: "compressed",
  quietDeps: true,
  silenceDeprecations: ["import"],
});
fingerprinted("signpost.css", css.css);

const govukJs = fingerprinted("govuk/govuk-frontend.min.js", readFileSync(join(govuk, "govuk-frontend.min.js")));
const init = readFileSync(join(root, "assets", "js", "init.mjs"), "utf8").replace(
  "/static/govuk/govuk-frontend.min.js",
  `/static/${govukJs}`,
);
fingerprinted("js/init.mjs", init);
fingerprinted("images/signpost-mark.svg", readFileSync(join(root, "assets", "images", "signpost-mark.svg")));

writeFileSync(join(out, "manifest.json"), JSON.stringify(manifest, null, 2));
console.log("Built assets into signpost/static");
