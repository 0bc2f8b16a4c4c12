// The recommendation tab: POST /v1/apps/recommend with a history of movie ids, the list shown with titles and the
// recommender's probabilities. Stateless like the endpoint: nothing is kept between requests. Plain module, no build step;
// the API key is the one the chat tab uses. The chat and support tabs are switched by their own modules; this one
// hides its panel when they are chosen and hides theirs when it is.

const $ = (id) => document.getElementById(id);
const ui = {
  apiKey: $("api-key"),
  tabs: [$("tab-chat"), $("tab-support"), $("tab-recommend")],
  panels: [$("chat-panel"), $("support-panel")],
  tab: $("tab-recommend"),
  panel: $("recommend-panel"),
  form: $("recommend-form"),
  history: $("recommend-history"),
  k: $("recommend-k"),
  excludeSeen: $("recommend-exclude-seen"),
  send: $("recommend-send"),
  items: $("recommend-items"),
  error: $("recommend-error"),
};

function showRecommend() {
  for (const panel of ui.panels) panel.hidden = true;
  ui.panel.hidden = false;
  for (const tab of ui.tabs) tab.setAttribute("aria-selected", String(tab === ui.tab));
  ui.history.focus();
}

function headers() {
  const key = ui.apiKey.value.trim();
  return key ? { "Content-Type": "application/json", Authorization: `Bearer ${key}` } : { "Content-Type": "application/json" };
}

/** The ids of "1, 2, 3", or null when a part is not a whole number. */
function parseHistory(text) {
  const parts = text.split(",").map((part) => part.trim()).filter((part) => part.length > 0);
  return parts.every((part) => /^\d+$/.test(part)) ? parts.map(Number) : null;
}

function showError(message) {
  ui.error.textContent = message;
  ui.error.hidden = false;
}

async function recommend() {
  ui.error.hidden = true;
  const history = parseHistory(ui.history.value);
  if (history === null) {
    showError("The history must be movie ids separated by commas, e.g. 260, 1196, 1210.");
    return;
  }
  ui.send.disabled = true;
  try {
    const response = await fetch("/v1/apps/recommend", {
      method: "POST",
      headers: headers(),
      body: JSON.stringify({ history, k: Number(ui.k.value), exclude_seen: ui.excludeSeen.checked }),
    });
    const body = await response.json();
    if (!response.ok) throw new Error(body?.error?.message ?? `HTTP ${response.status}`);
    ui.items.replaceChildren(...body.items.map((item) => {
      const row = document.createElement("li");
      const id = document.createElement("code");
      id.textContent = String(item.id);
      row.append(id, document.createTextNode(` ${item.title ?? "(no title)"} · ${(item.score * 100).toFixed(1)}%`));
      return row;
    }));
  } catch (error) {
    showError(error.message);
  } finally {
    ui.send.disabled = false;
  }
}

ui.tab.addEventListener("click", showRecommend);
for (const tab of ui.tabs) {
  if (tab !== ui.tab) tab.addEventListener("click", () => {
    ui.panel.hidden = true;
    ui.tab.setAttribute("aria-selected", "false");
  });
}
ui.form.addEventListener("submit", (event) => {
  event.preventDefault();
  recommend();
});
