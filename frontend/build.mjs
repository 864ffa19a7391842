// Copies the installed front-end packages and our own small CSS/JS into static/dist.
// Nothing here is committed: `make` runs `npm ci` and this script.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "..", "static", "dist");
mkdirSync(out, { recursive: true });

const nm = (p) => join(here, "node_modules", p);
const css = [
  readFileSync(nm("@digdir/designsystemet-css/dist/theme/designsystemet.css"), "utf8"),
  readFileSync(nm("@digdir/designsystemet-css/dist/src/index.css"), "utf8"),
  readFileSync(join(here, "samspill.css"), "utf8"),
].join("\n");
writeFileSync(join(out, "samspill.css"), css);
copyFileSync(nm("htmx.org/dist/htmx.min.js"), join(out, "htmx.min.js"));
copyFileSync(join(here, "samspill.js"), join(out, "samspill.js"));
copyFileSync(nm("axe-core/axe.min.js"), join(out, "axe.min.js"));
console.log(`front-end assets written to ${out}`);
