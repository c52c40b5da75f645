// Warn a signed-in user two minutes before they are signed out for inactivity, and let them stay
// signed in (dsr/registers/idle.py). The server keeps the time: the page asks it how long is left
// before warning, so activity in another tab counts.
const dialog = document.getElementById("session-timeout");

if (dialog && typeof dialog.showModal === "function") {
  const settings = JSON.parse(dialog.dataset.settings);
  const countdown = dialog.querySelector("[data-countdown]");
  const announce = dialog.querySelector("[data-announce]");
  const signOutForm = document.querySelector(".nhsuk-header__account-form");
  // Signing in again leads back to the page shown now (a filtered list's address included).
  const signIn = () => {
    const url = new URL(settings.signInUrl, window.location.href);
    url.searchParams.set("next", window.location.pathname + window.location.search);
    window.location.assign(url);
  };
  let deadline = Date.now() + settings.secondsLeft * 1000;
  let timer = null;

  const secondsLeft = () => Math.max(0, Math.round((deadline - Date.now()) / 1000));
  const inWords = (seconds) => {
    if (seconds > 60) return `${Math.ceil(seconds / 60)} minutes`;
    if (seconds === 60) return "1 minute";
    return seconds === 1 ? "1 second" : `${seconds} seconds`;
  };
  const csrfToken = () => signOutForm?.querySelector("input[name=csrfmiddlewaretoken]")?.value ?? "";

  async function ask(url, method) {
    const response = await fetch(url, {
      method,
      credentials: "same-origin",
      headers: method === "POST" ? { "X-CSRFToken": csrfToken() } : {},
      redirect: "manual",
    });
    if (!response.ok) return 0; // signed out already (the answer is a redirect to sign in)
    return (await response.json()).secondsLeft;
  }

  function wait() {
    clearTimeout(timer);
    timer = setTimeout(check, Math.max(1000, deadline - Date.now() - settings.warnSeconds * 1000));
  }

  async function check() {
    let left;
    try {
      left = await ask(settings.statusUrl, "GET");
    } catch {
      left = secondsLeft(); // the network is down: keep counting down on the page's own clock
    }
    deadline = Date.now() + left * 1000;
    if (left <= 0) {
      signIn();
    } else if (left > settings.warnSeconds) {
      if (dialog.open) dialog.close();
      wait();
    } else {
      warn();
    }
  }

  function warn() {
    if (!dialog.open) {
      dialog.showModal();
      announce.textContent = `You will be signed out in ${inWords(secondsLeft())}.`;
    }
    clearTimeout(timer);
    const tick = () => {
      const left = secondsLeft();
      countdown.textContent = inWords(left);
      if ([60, 30, 10].includes(left)) announce.textContent = `You will be signed out in ${inWords(left)}.`;
      timer = left > 0 ? setTimeout(tick, 1000) : setTimeout(check, 0);
    };
    tick();
  }

  dialog.querySelector("[data-stay]").addEventListener("click", async () => {
    const left = await ask(settings.keepAliveUrl, "POST");
    deadline = Date.now() + left * 1000;
    dialog.close();
    if (left <= 0) signIn();
    else wait();
  });
  dialog.querySelector("[data-sign-out]").addEventListener("click", () => signOutForm?.submit());
  // Escape closes a modal dialog; closing it is not a choice to stay, so keep counting.
  dialog.addEventListener("cancel", (event) => event.preventDefault());

  wait();
  dialog.dataset.watching = "true"; // the countdown has started (tests wait for this before moving time)
}
