// The Myna playground: a chat over this server's OpenAI API, streamed as the model writes, with its sampling
// controls, each reply's usage and speed, the model card and the server's live metrics. Plain modules, no build step.
import { readChatStream, responseError } from "./sse.js";
import { parsePrometheus, total } from "./prometheus.js";
import { renderMarkdown } from "./markdown.js";

/** Where the key is kept: sessionStorage, so it lasts for this tab only and is never written to disk by the page. */
const keyStorageName = "myna.apiKey";
/** How often the metrics panel refreshes. Three seconds: live enough to watch a burst, cheap for the server. */
const metricsIntervalMs = 3000;
/** The server's limit on stop sequences (OpenAI's too). */
const maxStopSequences = 4;

const $ = (id) => document.getElementById(id);
const ui = {
  apiKey: $("api-key"),
  modelName: $("model-name"),
  messages: $("messages"),
  emptyHint: $("empty-hint"),
  error: $("error"),
  composer: $("composer"),
  prompt: $("prompt"),
  send: $("send"),
  stop: $("stop"),
  newChat: $("new-chat"),
  usage: $("usage"),
  system: $("system"),
  temperature: $("temperature"),
  topP: $("top-p"),
  maxTokens: $("max-tokens"),
  seed: $("seed"),
  stopSequences: $("stop-sequences"),
  truncate: $("truncate"),
  metrics: $("metrics"),
  metricsNote: $("metrics-note"),
  modelFacts: $("model-facts"),
  modelCard: $("model-card"),
};

/** The conversation so far, as OpenAI messages (the system message is added per request from its field). */
const history = [];
let modelId = null;
let running = null; // the AbortController of the reply being streamed
let conversation = 0; // counts "New chat"s: a reply that ends after one must not write into the new conversation

function setState(state) {
  // Tests and styles read the page's state from here: loading, ready, streaming or error.
  document.body.dataset.state = state;
}

function authorizationHeaders() {
  const key = ui.apiKey.value.trim();
  return key ? { Authorization: `Bearer ${key}` } : {};
}

function showError(message) {
  ui.error.textContent = message;
  ui.error.hidden = false;
}

function clearError() {
  ui.error.textContent = "";
  ui.error.hidden = true;
}

function describe(error) {
  if (error.name === "AbortError") return null;
  if (error.status === 401) return `${error.message} Enter the server's API key above.`;
  if (error.code === "context_length_exceeded") return `${error.message} Start a new chat, lower Max tokens, or tick "Drop the oldest turns".`;
  if (error instanceof TypeError) return `Cannot reach the server: ${error.message}`;
  return error.param ? `${error.message} (parameter: ${error.param})` : error.message;
}

function addMessage(role, text) {
  ui.emptyHint.hidden = true;
  const box = document.createElement("article");
  box.className = `message ${role}`;
  const who = document.createElement("header");
  who.textContent = role === "user" ? "You" : modelId ?? "Assistant";
  const content = document.createElement("div");
  content.className = "content";
  content.textContent = text;
  box.append(who, content);
  ui.messages.append(box);
  ui.messages.scrollTop = ui.messages.scrollHeight;
  return { box, content };
}

/** The request's sampling fields from the side panel; a value left empty is left out, so the server's default holds. */
function samplingParameters() {
  const parameters = {};
  const number = (input) => (input.value.trim() === "" ? null : Number(input.value));
  const temperature = number(ui.temperature);
  if (temperature !== null) parameters.temperature = temperature;
  const topP = number(ui.topP);
  if (topP !== null) parameters.top_p = topP;
  const maxTokens = number(ui.maxTokens);
  if (maxTokens !== null) parameters.max_completion_tokens = maxTokens;
  const seed = number(ui.seed);
  if (seed !== null) parameters.seed = seed;
  const stops = ui.stopSequences.value.split("\n").map((s) => s.replace(/\\n/g, "\n")).filter((s) => s.length > 0);
  if (stops.length > maxStopSequences) throw new Error(`At most ${maxStopSequences} stop sequences; there are ${stops.length}.`);
  if (stops.length > 0) parameters.stop = stops;
  if (ui.truncate.checked) parameters.truncation = "auto";
  return parameters;
}

async function send(text) {
  clearError();
  let parameters;
  try {
    parameters = samplingParameters();
  } catch (error) {
    showError(error.message);
    return;
  }
  const system = ui.system.value.trim();
  const thisConversation = conversation;
  history.push({ role: "user", content: text });
  const messages = system ? [{ role: "system", content: system }, ...history] : [...history];
  const question = addMessage("user", text);
  const reply = addMessage("assistant", "");
  reply.box.classList.add("streaming");

  running = new AbortController();
  setState("streaming");
  ui.send.disabled = true;
  ui.stop.disabled = false;
  ui.usage.textContent = "";

  let answer = "";
  let usage = null;
  let finish = null;
  const started = performance.now();
  let firstToken = null;
  try {
    const response = await fetch("/v1/chat/completions", {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "text/event-stream", ...authorizationHeaders() },
      body: JSON.stringify({ model: modelId ?? undefined, messages, stream: true, stream_options: { include_usage: true }, ...parameters }),
      signal: running.signal,
    });
    if (!response.ok) throw await responseError(response);
    const { done } = await readChatStream(response.body, {
      onText: (piece) => {
        firstToken ??= performance.now();
        answer += piece;
        reply.content.textContent = answer;
        ui.messages.scrollTop = ui.messages.scrollHeight;
      },
      onFinish: (reason) => (finish = reason),
      onUsage: (u) => (usage = u),
    });
    if (!done) throw new Error("The stream ended before the server finished the reply (the connection was cut).");
    history.push({ role: "assistant", content: answer });
    ui.usage.textContent = usageLine(usage, finish, started, firstToken, performance.now());
    setState("ready");
  } catch (error) {
    if (thisConversation !== conversation) {
      // "New chat" stopped this reply: its conversation is gone, and the new one starts clean.
      setState("ready");
      return;
    }
    const message = describe(error);
    if (answer) {
      // Keep what arrived: it is part of the conversation the user saw.
      history.push({ role: "assistant", content: answer });
    } else {
      // Nothing came back: take the turn back and put the text where the user can retry it.
      history.pop();
      question.box.remove();
      reply.box.remove();
      ui.emptyHint.hidden = history.length > 0;
      if (!ui.prompt.value) ui.prompt.value = text;
    }
    if (message) {
      reply.box.classList.add("failed");
      showError(message);
      setState("error");
    } else {
      ui.usage.textContent = "Stopped.";
      setState("ready");
    }
  } finally {
    reply.box.classList.remove("streaming");
    running = null;
    ui.send.disabled = false;
    ui.stop.disabled = true;
  }
}

/** One line about a finished reply: its tokens, time to first token and decoding speed. */
function usageLine(usage, finish, started, firstToken, ended) {
  const parts = [];
  if (usage) parts.push(`${usage.prompt_tokens} prompt + ${usage.completion_tokens} completion = ${usage.total_tokens} tokens`);
  if (firstToken !== null) parts.push(`first token after ${Math.round(firstToken - started)} ms`);
  const tokens = usage?.completion_tokens ?? 0;
  // Speed counts the tokens after the first over the time after it: the first token's wait is the prompt's cost.
  if (tokens > 1 && firstToken !== null && ended > firstToken) parts.push(`${((tokens - 1) / ((ended - firstToken) / 1000)).toFixed(1)} tokens/s`);
  else if (tokens > 0) parts.push(`${(tokens / ((ended - started) / 1000)).toFixed(1)} tokens/s`);
  parts.push(`${((ended - started) / 1000).toFixed(2)} s`);
  if (finish === "length") parts.push("stopped at Max tokens");
  else if (finish === "content_filter") parts.push("stopped by the server's block list");
  return parts.join(" · ");
}

async function loadModel() {
  try {
    const response = await fetch("/v1/models", { headers: authorizationHeaders() });
    if (!response.ok) throw await responseError(response);
    const list = await response.json();
    const model = list.data?.[0];
    if (!model) throw new Error("The server lists no model.");
    modelId = model.id;
    ui.modelName.textContent = model.max_model_len ? `${model.id} · context ${model.max_model_len}` : model.id;
    setState("ready");
    await loadCard();
  } catch (error) {
    ui.modelName.textContent = "no model";
    showError(describe(error) ?? String(error));
    setState("error");
  }
}

async function loadCard() {
  const response = await fetch(`/v1/models/${encodeURIComponent(modelId)}/card`, { headers: authorizationHeaders() });
  if (!response.ok) {
    ui.modelCard.textContent = response.status === 404 ? "This server has no model card route." : (await responseError(response)).message;
    return;
  }
  const card = await response.json();
  const facts = [
    ["Layers", card.layers],
    ["Heads", card.heads],
    ["Channels", card.embedding_size],
    ["Context", card.context_length],
    ["Vocabulary", card.vocabulary_size],
    ["Parameters", card.parameters?.toLocaleString("en")],
    ["Precision", card.precision],
  ];
  ui.modelFacts.replaceChildren(...facts.filter(([, v]) => v !== undefined && v !== null).flatMap(([k, v]) => definition(k, String(v))));
  if (card.markdown) renderMarkdown(card.markdown, ui.modelCard);
  else ui.modelCard.textContent = "The model folder has no model_card.md or README.md.";
}

function definition(term, value) {
  const dt = document.createElement("dt");
  dt.textContent = term;
  const dd = document.createElement("dd");
  dd.textContent = value;
  return [dt, dd];
}

/**
 * Reads /metrics (the Myna.Serving meter in Prometheus text) and shows its serving figures; a server without it, or one
 * that wants a key for it, is said so in the panel: the chat does not depend on it.
 */
async function refreshMetrics() {
  let response;
  try {
    response = await fetch("/metrics", { headers: authorizationHeaders(), cache: "no-store" });
  } catch {
    ui.metricsNote.textContent = "The server did not answer.";
    return;
  }
  if (response.status === 404) {
    ui.metricsNote.textContent = "This server does not publish /metrics.";
    ui.metrics.replaceChildren();
    return;
  }
  if (response.status === 401 || response.status === 403) {
    ui.metricsNote.textContent = "Metrics need a valid API key.";
    ui.metrics.replaceChildren();
    return;
  }
  if (!response.ok) {
    ui.metricsNote.textContent = `Metrics unavailable (HTTP ${response.status}).`;
    return;
  }
  const samples = parsePrometheus(await response.text());
  const rows = [];
  const add = (label, value) => {
    if (value !== null) rows.push(...definition(label, value));
  };
  const count = (name) => total(samples, name)?.toLocaleString("en") ?? null;
  add("Running", count("myna_requests_running"));
  add("Waiting", count("myna_requests_waiting"));
  const used = total(samples, "myna_slots_used");
  const slots = total(samples, "myna_slots_total");
  add("Slots used", used === null ? null : slots === null ? `${used}` : `${used} of ${slots}`);
  const cache = total(samples, "myna_kv_cache_bytes");
  add("KV cache", cache === null ? null : bytes(cache));
  add("Prompt tokens", count("myna_prompt_tokens_total"));
  add("Completion tokens", count("myna_completion_tokens_total"));
  add("Requests", count("myna_requests_total"));
  add("Rejected", count("myna_requests_rejected_total"));
  ui.metrics.replaceChildren(...rows);
  ui.metricsNote.textContent = rows.length ? `Updated ${new Date().toLocaleTimeString()}.` : "The server's metrics hold no Myna serving figures.";
}

function bytes(value) {
  const units = ["B", "KiB", "MiB", "GiB"];
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}

function wire() {
  ui.apiKey.value = sessionStorage.getItem(keyStorageName) ?? "";
  ui.apiKey.addEventListener("input", () => {
    const key = ui.apiKey.value.trim();
    if (key) sessionStorage.setItem(keyStorageName, key);
    else sessionStorage.removeItem(keyStorageName);
  });
  // A new key may open what an old one could not: read the metrics again at once.
  ui.apiKey.addEventListener("change", refreshMetrics);
  // Enter in the key field would submit its form and reload the page (and lose the chat): take it as "done" instead.
  $("key-form").addEventListener("submit", (event) => {
    event.preventDefault();
    ui.prompt.focus();
  });
  ui.composer.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = ui.prompt.value.trim();
    if (!text || running) return;
    ui.prompt.value = "";
    send(text);
  });
  ui.prompt.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      ui.composer.requestSubmit();
    }
  });
  ui.stop.addEventListener("click", () => running?.abort());
  ui.newChat.addEventListener("click", () => {
    conversation++;
    running?.abort();
    history.length = 0;
    ui.messages.replaceChildren(ui.emptyHint);
    ui.emptyHint.hidden = false;
    ui.usage.textContent = "";
    clearError();
  });
}

wire();
loadModel();
refreshMetrics();
setInterval(refreshMetrics, metricsIntervalMs);
