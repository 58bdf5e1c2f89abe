// The dashboard's page: finds Telegram's initData, fetches the server's fragments with it,
// and switches between the views. It runs with or without Telegram's own script: outside
// Telegram (the sandbox, the tests) the data comes in the address's fragment, as Telegram
// itself passes it. The fragments are HTML rendered and escaped by the server.
(() => {
  "use strict";

  const app = document.getElementById("app");
  const failed = document.body.dataset.failed || "";

  function initData() {
    const telegram = window.Telegram && window.Telegram.WebApp;
    if (telegram && telegram.initData) return telegram.initData;
    const fragment = new URLSearchParams(window.location.hash.slice(1));
    return fragment.get("tgWebAppData") || "";
  }

  const data = initData();
  // The data is kept in memory only: the address drops it once the page has loaded, when
  // Telegram's own script (loaded alongside) has read it too.
  function forgetData() {
    if (window.location.hash.includes("tgWebAppData")) {
      history.replaceState(null, "", window.location.pathname + window.location.search);
    }
  }
  if (document.readyState === "complete") forgetData();
  else window.addEventListener("load", forgetData);
  const telegram = window.Telegram && window.Telegram.WebApp;
  if (telegram) {
    telegram.ready();
    if (telegram.expand) telegram.expand();
  }

  let overview = null;

  async function fetchView(path) {
    try {
      const response = await fetch(path, {
        headers: { Authorization: `tma ${data}` },
        cache: "no-store",
        credentials: "omit",
      });
      const body = await response.text();
      return { ok: response.ok, status: response.status, body };
    } catch (error) {
      return { ok: false, status: 0, body: "" };
    }
  }

  function show(html, status) {
    app.innerHTML = html;
    app.dataset.status = String(status);
  }

  function showFailure(result) {
    if (result.body) return show(result.body, result.status);
    const note = document.createElement("p");
    note.className = "note";
    note.textContent = failed;
    app.replaceChildren(note);
    app.dataset.status = String(result.status);
  }

  function selectTab(name) {
    for (const tab of app.querySelectorAll(".tab")) {
      tab.setAttribute("aria-selected", String(tab.dataset.tab === name));
    }
    for (const panel of app.querySelectorAll(".panel")) {
      panel.hidden = panel.dataset.panel !== name;
    }
  }

  async function openOverview() {
    if (overview !== null) {
      show(overview.body, overview.status);
      selectTab(overview.tab);
      return;
    }
    const result = await fetchView("view");
    if (!result.ok) return showFailure(result);
    overview = { body: result.body, status: result.status, tab: "matrix" };
    show(result.body, result.status);
  }

  async function openTask(number) {
    const tab = app.querySelector(".tab[aria-selected='true']");
    if (overview !== null && tab) overview.tab = tab.dataset.tab;
    const result = await fetchView(`tasks/${encodeURIComponent(number)}`);
    if (!result.ok) return showFailure(result);
    show(result.body, result.status);
    window.scrollTo(0, 0);
  }

  app.addEventListener("click", (event) => {
    const tab = event.target.closest(".tab");
    if (tab) return selectTab(tab.dataset.tab);
    const link = event.target.closest(".task-link, td.cell[data-task]");
    if (link) {
      event.preventDefault();
      return openTask(link.dataset.task);
    }
    if (event.target.closest(".back")) openOverview();
  });

  openOverview();
})();
