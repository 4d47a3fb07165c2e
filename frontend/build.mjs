// Copies the compiled GOV.UK Frontend and MOJ Frontend (from the npm registry) and axe-core
// into whole_system/static/dist, where Django's staticfiles finds them. Their stylesheets
// expect assets at /assets/; they are served from /static/dist/assets/ instead.
import { cpSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";

const out = "whole_system/static/dist";
const govuk = "node_modules/govuk-frontend/dist/govuk";
const moj = "node_modules/@ministryofjustice/frontend/moj";
mkdirSync(out, { recursive: true });

const rewrite = (file) =>
  readFileSync(file, "utf8")
    .replaceAll("url(/assets/", "url(/static/dist/assets/")
    .replace(/\/\*# sourceMappingURL=.*?\*\//g, "");
writeFileSync(
  `${out}/app.css`,
  [rewrite(`${govuk}/govuk-frontend.min.css`), rewrite(`${moj}/moj-frontend.min.css`),
   readFileSync("frontend/app.css", "utf8")].join("\n"),
);

cpSync(`${govuk}/assets`, `${out}/assets`, { recursive: true });
cpSync(`${moj}/assets`, `${out}/assets`, { recursive: true });
const stripMap = (src, dest) =>
  writeFileSync(dest, readFileSync(src, "utf8").replace(/\/\/# sourceMappingURL=.*$/m, ""));
stripMap(`${govuk}/govuk-frontend.min.js`, `${out}/govuk-frontend.min.js`);
stripMap(`${moj}/moj-frontend.min.js`, `${out}/moj-frontend.min.js`);
cpSync("node_modules/axe-core/axe.min.js", `${out}/axe.min.js`);
cpSync("frontend/init.js", `${out}/init.js`);
console.log(`built ${out}`);
