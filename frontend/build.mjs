// Copies the installed front-end packages and our own small CSS/JS into static/dist.
// Nothing here is committed: `make` runs `npm ci` and this script.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "..", "static", "dist");
mkdirSync(out, { recursive: true });

const nm = (p) => join(here, "node_modules", p);

// Designsystemet's theme sets `font-family: Inter` with no fallback: ship Inter (OFL, from
// @fontsource/inter) for the weights the theme uses, Latin and Latin Extended (Sami letters).
const fontCss = [];
mkdirSync(join(out, "files"), { recursive: true });
for (const weight of [400, 500, 600]) {
  for (const subset of ["latin", "latin-ext"]) {
    fontCss.push(readFileSync(nm(`@fontsource/inter/${subset}-${weight}.css`), "utf8"));
    for (const ext of ["woff2", "woff"]) {
      const file = `inter-${subset}-${weight}-normal.${ext}`;
      copyFileSync(nm(`@fontsource/inter/files/${file}`), join(out, "files", file));
    }
  }
}

const css = [
  fontCss.join("\n"),
  readFileSync(nm("@digdir/designsystemet-css/dist/theme/designsystemet.css"), "utf8"),
  readFileSync(nm("@digdir/designsystemet-css/dist/src/index.css"), "utf8"),
  readFileSync(join(here, "samspill.css"), "utf8"),
].join("\n");
writeFileSync(join(out, "samspill.css"), css);
copyFileSync(nm("htmx.org/dist/htmx.min.js"), join(out, "htmx.min.js"));
copyFileSync(join(here, "samspill.js"), join(out, "samspill.js"));
copyFileSync(nm("axe-core/axe.min.js"), join(out, "axe.min.js"));
console.log(`front-end assets written to ${out}`);
