import { initAll } from "../vendor/nhsuk/nhsuk-frontend.min.js";

initAll();

// Keep the design system's components working in content that htmx swaps in.
document.addEventListener("htmx:afterSettle", (event) => initAll({ scope: event.detail.elt }));
