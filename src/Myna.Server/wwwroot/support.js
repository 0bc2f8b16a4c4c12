// The support assistant tab: POST /v1/apps/support/chat with a session id per conversation, each answer shown with its
// sources, confidence and whether it was handed to a person. Plain module, no build step; the API key is the one the
// chat tab uses (the same input field).

const $ = (id) => document.getElementById(id);
const ui = {
  apiKey: $("api-key"),
  tabChat: $("tab-chat"),
  tabSupport: $("tab-support"),
  chatPanel: $("chat-panel"),
  supportPanel: $("support-panel"),
  messages: $("support-messages"),
  error: $("support-error"),
  composer: $("support-composer"),
  message: $("support-message"),
  send: $("support-send"),
  newConversation: $("support-new"),
};

/** A new conversation's id: 128 random bits (getRandomValues, unlike randomUUID, also works on a plain-http page). */
function newSessionId() {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** The conversation's id: the server keeps its last entry so that follow-ups carry it. */
let sessionId = newSessionId();

function show(tab) {
  const support = tab === "support";
  ui.chatPanel.hidden = support;
  ui.supportPanel.hidden = !support;
  ui.tabChat.setAttribute("aria-selected", String(!support));
  ui.tabSupport.setAttribute("aria-selected", String(support));
  if (support) ui.message.focus();
}

function headers() {
  const key = ui.apiKey.value.trim();
  return key ? { "Content-Type": "application/json", Authorization: `Bearer ${key}` } : { "Content-Type": "application/json" };
}

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function addQuestion(text) {
  const box = element("article", "message user");
  box.append(element("header", "", "You"), element("div", "content", text));
  ui.messages.append(box);
}

function addAnswer(reply) {
  const box = element("article", reply.handoff ? "message assistant handoff" : "message assistant");
  box.append(element("header", "", reply.handoff ? "Assistant · handed off to a person" : "Assistant"));
  box.append(element("div", "content", reply.answer));
  if (reply.sources.length > 0) {
    const list = element("ol", "sources");
    for (const source of reply.sources) {
      const item = element("li");
      item.append(element("code", "", source.id), document.createTextNode(` ${source.question} (score ${source.score.toFixed(2)})`));
      list.append(item);
    }
    box.append(list);
  }
  const c = reply.confidence;
  box.append(element("div", "confidence", `lang ${reply.lang} · score ${c.score.toFixed(2)} · margin ${c.margin.toFixed(2)} · coverage ${c.coverage.toFixed(2)}`));
  ui.messages.append(box);
  box.scrollIntoView({ block: "end" });
}

async function ask(text) {
  ui.error.hidden = true;
  ui.send.disabled = true;
  addQuestion(text);
  try {
    const response = await fetch("/v1/apps/support/chat", {
      method: "POST",
      headers: headers(),
      body: JSON.stringify({ session_id: sessionId, message: text }),
    });
    const body = await response.json();
    if (!response.ok) throw new Error(body?.error?.message ?? `HTTP ${response.status}`);
    addAnswer(body);
  } catch (error) {
    ui.error.textContent = error.message;
    ui.error.hidden = false;
  } finally {
    ui.send.disabled = false;
  }
}

ui.tabChat.addEventListener("click", () => show("chat"));
ui.tabSupport.addEventListener("click", () => show("support"));
ui.composer.addEventListener("submit", (event) => {
  event.preventDefault();
  const text = ui.message.value.trim();
  if (!text) return;
  ui.message.value = "";
  ask(text);
});
ui.message.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && !event.shiftKey) {
    event.preventDefault();
    ui.composer.requestSubmit();
  }
});
ui.newConversation.addEventListener("click", () => {
  sessionId = newSessionId();
  ui.messages.querySelectorAll(".message").forEach((node) => node.remove());
  ui.error.hidden = true;
});
