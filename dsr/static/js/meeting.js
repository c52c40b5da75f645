// Running a meeting: notes save themselves as they are typed, and nothing typed is lost when the
// connection drops. Without JavaScript the page works through its buttons, which send the notes too.
(() => {
  const draftKey = (panel) => `dsr-meeting-notes-${panel.dataset.item}`;
  const status = () => document.getElementById("autosave-status");
  const notesBoxes = (panel) => panel.querySelectorAll("textarea[data-autosave]");

  function say(text) {
    const place = status();
    if (place) place.textContent = text;
  }

  function keepDraft(panel) {
    const values = {};
    for (const box of notesBoxes(panel)) values[box.name] = box.value;
    try { localStorage.setItem(draftKey(panel), JSON.stringify(values)); } catch (error) { /* storage full or off */ }
  }

  function dropDraft(panel) {
    try { localStorage.removeItem(draftKey(panel)); } catch (error) { /* nothing kept */ }
  }

  // Notes kept in this browser but never saved (the connection dropped, the tab closed): put them back
  // and save them now.
  function restoreDraft(panel) {
    let values = null;
    try { values = JSON.parse(localStorage.getItem(draftKey(panel)) || "null"); } catch (error) { values = null; }
    const boxes = notesBoxes(panel);
    if (!values || !boxes.length) return;
    let restored = false;
    for (const box of boxes) {
      if (typeof values[box.name] === "string" && values[box.name] !== box.value) {
        box.value = values[box.name];
        restored = true;
      }
    }
    if (restored) {
      say("Notes typed here that had not been saved were put back; saving them now.");
      htmx.trigger(boxes[0], "dsr:retry-save");
    } else {
      dropDraft(panel);
    }
  }

  // A decision sent with a problem saved nothing, not even the notes sent with it: they are back in their
  // boxes as typed, and are saved now as if just typed.
  function setUp(panel) {
    if (!panel) return;
    restoreDraft(panel);
    const boxes = notesBoxes(panel);
    if (boxes.length && panel.querySelector(".nhsuk-error-summary")) htmx.trigger(boxes[0], "dsr:retry-save");
  }

  const isAutosave = (element) => element && element.matches && element.matches("[data-autosave]");

  document.addEventListener("input", (event) => {
    const panel = event.target.closest && event.target.closest("#item-panel");
    if (panel && isAutosave(event.target)) keepDraft(panel);
  });

  // A typed save that worked: the notes are on the server, so the copy in this browser can go.
  document.addEventListener("htmx:afterRequest", (event) => {
    const source = event.detail.elt;
    if (!event.detail.successful || !isAutosave(source)) return;
    const panel = source.closest("#item-panel");
    if (panel) dropDraft(panel);
  });

  // Only a save that really failed says so. A typed save stopped because the page was sent with the same
  // notes (htmx:sendAbort) is not a failure and says nothing.
  document.addEventListener("htmx:sendError", (event) => {
    const source = event.detail.elt;
    if (isAutosave(source)) {
      say("Not saved: the connection has dropped. Your notes are kept in this browser and will be saved when it comes back.");
      if (document.body.contains(source)) htmx.trigger(source, "dsr:retry-save");
    } else {
      say("Not sent: the connection has dropped. Try again when it is back; nothing you typed is lost.");
    }
  });

  document.addEventListener("htmx:responseError", (event) => {
    const source = event.detail.elt;
    if (isAutosave(source)) say(`Not saved: ${event.detail.xhr.responseText}`);
  });

  // After moving to another item, take focus to its heading so a screen reader announces it.
  document.addEventListener("htmx:afterSettle", (event) => {
    const panel = document.getElementById("item-panel");
    if (event.detail.target && event.detail.target.id === "item-panel" && panel) {
      setUp(panel);
      const heading = panel.querySelector("#item-heading");
      if (heading) heading.focus();
    }
  });

  // Ctrl (or Cmd) and Enter in the notes: save and go to the next item.
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Enter" || !(event.ctrlKey || event.metaKey)) return;
    if (!isAutosave(event.target)) return;
    event.preventDefault();
    const next = document.getElementById("save-next");
    if (next) next.click();
  });

  document.addEventListener("DOMContentLoaded", () => setUp(document.getElementById("item-panel")));
})();
