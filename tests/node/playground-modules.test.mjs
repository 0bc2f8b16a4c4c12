// Unit tests of the playground's browser modules that need no DOM (the SSE reader and the Prometheus parser), run with
// Node's own test runner: node --test playground-modules.test.mjs (tests/Myna.Tests/Server/PlaygroundScriptTests.cs).
import assert from "node:assert/strict";
import { test } from "node:test";
import { readChatStream, readEventData, responseError, ServerError } from "../../src/Myna.Server/wwwroot/sse.js";
import { parsePrometheus, total } from "../../src/Myna.Server/wwwroot/prometheus.js";

const encoder = new TextEncoder();

/** A byte stream delivering <bytes> in pieces cut at <cuts> (byte offsets), as network reads may. */
function streamOf(bytes, cuts = []) {
  const edges = [0, ...cuts, bytes.length];
  return new ReadableStream({
    start(controller) {
      for (let i = 0; i + 1 < edges.length; i++) controller.enqueue(bytes.slice(edges[i], edges[i + 1]));
      controller.close();
    },
  });
}

async function events(bytes, cuts) {
  const all = [];
  for await (const data of readEventData(streamOf(bytes, cuts))) all.push(data);
  return all;
}

// Multi-byte characters, CRLF and bare CR line ends, a comment, a multi-line event and a last event with no blank line.
const wire = encoder.encode(": keep-alive\n\ndata: {\"a\":\"é😀\"}\r\n\r\ndata: one\r\ndata: two\n\nevent: x\nid: 3\ndata:no-space\r\rdata: last");
const expected = ['{"a":"é😀"}', "one\ntwo", "no-space", "last"];

test("events are the same however the bytes are cut into reads", async () => {
  assert.deepEqual(await events(wire), expected);
  for (let cut = 1; cut < wire.length; cut++) assert.deepEqual(await events(wire, [cut]), expected, `cut at ${cut}`);
  // Every byte its own read: each multi-byte character and each CRLF arrives split.
  assert.deepEqual(await events(wire, [...wire.keys()].slice(1)), expected);
});

function chatStream(...payloads) {
  return streamOf(encoder.encode(payloads.map((p) => `data: ${typeof p === "string" ? p : JSON.stringify(p)}\n\n`).join("")));
}

const chunk = (delta, finish = null) => ({ object: "chat.completion.chunk", choices: [{ index: 0, delta, finish_reason: finish }], usage: null });

test("a chat stream gives its text, finish reason and usage, and ends at [DONE]", async () => {
  const seen = { text: [], finish: null, usage: null };
  const result = await readChatStream(
    chatStream(chunk({ role: "assistant", content: "" }), chunk({ content: "Hel" }), chunk({ content: "lo" }), chunk({}, "length"),
      { object: "chat.completion.chunk", choices: [], usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 } }, "[DONE]"),
    { onText: (t) => seen.text.push(t), onFinish: (f) => (seen.finish = f), onUsage: (u) => (seen.usage = u) });
  assert.deepEqual(result, { done: true });
  assert.deepEqual(seen.text, ["Hel", "lo"]);
  assert.equal(seen.finish, "length");
  assert.equal(seen.usage.total_tokens, 5);
});

test("a stream cut before [DONE] says so", async () => {
  assert.deepEqual(await readChatStream(chatStream(chunk({ content: "partial" })), {}), { done: false });
});

test("an in-band error event throws the server's message, type and code", async () => {
  const error = { message: "The server is shutting down.", type: "server_error", param: null, code: "shutting_down" };
  const text = [];
  await assert.rejects(readChatStream(chatStream(chunk({ content: "a" }), { error }), { onText: (t) => text.push(t) }), (e) =>
    e instanceof ServerError && e.message === error.message && e.type === "server_error" && e.code === "shutting_down");
  assert.deepEqual(text, ["a"]);
});

test("an event that is not JSON is an error, not a silent skip", async () => {
  await assert.rejects(readChatStream(chatStream("{not json"), {}), /not JSON/);
});

test("a failed response's OpenAI error body becomes its error; another body keeps the status", async () => {
  const body = { error: { message: "Incorrect API key provided.", type: "invalid_request_error", param: null, code: "invalid_api_key" } };
  const json = await responseError(new Response(JSON.stringify(body), { status: 401, statusText: "Unauthorized" }));
  assert.equal(json.message, "Incorrect API key provided.");
  assert.equal(json.status, 401);
  assert.equal(json.code, "invalid_api_key");
  const plain = await responseError(new Response("upstream timed out", { status: 502, statusText: "Bad Gateway" }));
  assert.equal(plain.message, "HTTP 502 Bad Gateway: upstream timed out");
  assert.equal(plain.status, 502);
});

test("Prometheus text: labels with escapes, comments, special values and timestamps", () => {
  const samples = parsePrometheus([
    "# HELP myna_requests_running Requests decoding now.",
    "# TYPE myna_requests_running gauge",
    "myna_requests_running 2",
    'myna_requests_total{route="/v1/chat/completions",status="200"} 7 1700000000000',
    'myna_requests_total{route="/v1/completions",status="429",note="a \\"quoted\\" \\\\ value"} 3',
    "myna_ttft_seconds_bucket{le=\"+Inf\"} +Inf",
    "not a sample line",
    "",
  ].join("\n"));
  assert.equal(samples.length, 4);
  assert.equal(total(samples, "myna_requests_running"), 2);
  assert.equal(total(samples, "myna_requests_total"), 10);
  assert.equal(samples[2].labels.note, 'a "quoted" \\ value');
  assert.equal(samples[1].labels.route, "/v1/chat/completions");
  assert.equal(samples[3].value, Infinity);
  assert.equal(total(samples, "myna_requests_waiting"), null);
});
