import { initAll } from "../vendor/nhsuk/nhsuk-frontend.min.js";

initAll();

// Keep the design system's components working in content that htmx swaps in.
document.addEventListener("htmx:afterSettle", (event) => initAll({ scope: event.detail.elt }));

// On a rating form, picking a rating proposes its review date from the register's cadence,
// until the user types a date of their own. Without JavaScript the hint lists every date.
for (const form of document.querySelectorAll("form[data-review-dates]")) {
  const dates = JSON.parse(form.dataset.reviewDates);
  const boxes = ["day", "month", "year"].map((part) => form.querySelector(`#next_review_due-${part}`));
  let typed = false;
  boxes.forEach((box) => box && box.addEventListener("input", () => { typed = true; }));
  form.addEventListener("change", (event) => {
    if (typed || event.target.name !== "rating" || !dates[event.target.value]) return;
    const [year, month, day] = dates[event.target.value].split("-");
    [String(Number(day)), String(Number(month)), year].forEach((value, i) => { if (boxes[i]) boxes[i].value = value; });
  });
}
