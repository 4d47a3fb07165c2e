// Starts GOV.UK Frontend and MOJ Frontend components. A file, not an inline script, so the
// Content Security Policy can forbid inline scripts.
import { initAll as initGovuk } from "./govuk-frontend.min.js";
import { initAll as initMoj } from "./moj-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initGovuk();
initMoj();
