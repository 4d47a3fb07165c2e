// The Print button of her consent summary. A file, not an inline script, so the Content
// Security Policy can forbid inline scripts; without JavaScript the page says how to print.
for (const button of document.querySelectorAll('[data-module="app-print"]')) {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
}
for (const fallback of document.querySelectorAll("[data-print-fallback]")) {
  fallback.hidden = true;
}
