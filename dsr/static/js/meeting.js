// Running a meeting: notes save themselves as they are typed, and nothing typed is lost when the
// connection drops. Without JavaScript the page works through its Save buttons.
(() => {
  const draftKey = (panel) => `dsr-meeting-notes-${panel.dataset.item}`;
  const status = () => document.getElementById("autosave-status");

  function keepDraft(panel) {
    const form = panel.querySelector("#notes-form");
    if (!form) return;
    const values = {};
    for (const box of form.querySelectorAll("textarea")) values[box.name] = box.value;
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
    const form = panel.querySelector("#notes-form");
    if (!values || !form) return;
    let restored = false;
    for (const box of form.querySelectorAll("textarea")) {
      if (typeof values[box.name] === "string" && values[box.name] !== box.value) {
        box.value = values[box.name];
        restored = true;
      }
    }
    if (restored) {
      status().textContent = "Notes typed before the connection dropped were put back; saving them now.";
      htmx.trigger(form.querySelector("textarea"), "dsr:retry-save");
    } else {
      dropDraft(panel);
    }
  }

  function setUp(panel) {
    if (!panel || !panel.querySelector("#notes-form")) return;
    restoreDraft(panel);
  }

  document.addEventListener("input", (event) => {
    const panel = event.target.closest && event.target.closest("#item-panel");
    if (panel && event.target.matches("#notes-form textarea")) keepDraft(panel);
  });

  // The notes form being sent stops a typed save still on its way (hx-sync replace): not a dropped
  // connection, so nothing to keep or try again.
  document.addEventListener("htmx:beforeRequest", (event) => {
    const form = event.detail.elt;
    if (form.matches && form.matches("#notes-form")) form.dataset.sending = "true";
  });

  document.addEventListener("htmx:afterRequest", (event) => {
    const source = event.detail.elt;
    if (source.matches && source.matches("#notes-form")) delete source.dataset.sending;
    if (!source.matches || !source.matches("[data-autosave]")) return;
    const panel = source.closest("#item-panel");
    const form = source.closest("#notes-form");
    if (form && form.dataset.sending) return;
    if (event.detail.successful) {
      dropDraft(panel);
    } else if (!event.detail.xhr || event.detail.xhr.status === 0) {
      status().textContent = "Not saved: the connection has dropped. Your notes are kept in this browser and will be saved when it comes back.";
      htmx.trigger(source, "dsr:retry-save");
    }
  });

  document.addEventListener("htmx:responseError", (event) => {
    const source = event.detail.elt;
    if (source.matches && source.matches("[data-autosave]")) {
      status().textContent = `Not saved: ${event.detail.xhr.responseText}`;
    }
  });

  // A form that could not be sent (no connection) says so instead of doing nothing.
  document.addEventListener("htmx:sendError", (event) => {
    const source = event.detail.elt;
    if (source.matches && source.matches("[data-autosave]")) return;
    const place = status();
    if (place) place.textContent = "Not sent: the connection has dropped. Try again when it is back; nothing you typed is lost.";
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
    if (!event.target.matches || !event.target.matches("#notes-form textarea")) return;
    event.preventDefault();
    const next = document.getElementById("save-next");
    if (next) next.click();
  });

  document.addEventListener("DOMContentLoaded", () => setUp(document.getElementById("item-panel")));
})();
