// Talks to a running `myna serve` with the official OpenAI Node SDK, unchanged, and checks what comes back.
// Usage: MYNA_BASE_URL=http://127.0.0.1:PORT/v1 MYNA_API_KEY=KEY node openai-sdk-check.mjs
// Prints one JSON object describing the replies on stdout; any failed check exits with code 1 and its message.
import assert from "node:assert/strict";
import OpenAI from "openai";

const baseURL = process.env.MYNA_BASE_URL;
const apiKey = process.env.MYNA_API_KEY;
if (!baseURL || !apiKey) {
  console.error("error: set MYNA_BASE_URL (the server's /v1 address) and MYNA_API_KEY");
  process.exit(2);
}
// No retries: a check must see the server's first answer, not a retried one.
const client = new OpenAI({ baseURL, apiKey, maxRetries: 0, timeout: 60_000 });

async function main() {
  // 1. Discovery: the model list names the served model.
  const models = [];
  for await (const model of client.models.list()) models.push(model);
  assert.equal(models.length, 1, "the server serves one model");
  const model = models[0].id;

  // 2. Chat, whole. Greedy, so the streamed request below must produce the same text.
  const messages = [{ role: "user", content: "Say something about the sea." }];
  const whole = await client.chat.completions.create({ model, messages, temperature: 0, max_completion_tokens: 24 });
  assert.equal(whole.object, "chat.completion");
  assert.equal(whole.choices.length, 1);
  assert.equal(whole.choices[0].message.role, "assistant");
  assert.equal(typeof whole.choices[0].message.content, "string");
  assert.ok(["stop", "length"].includes(whole.choices[0].finish_reason), `finish_reason ${whole.choices[0].finish_reason}`);
  assert.ok(whole.usage.completion_tokens > 0 && whole.usage.prompt_tokens > 0, "usage counts tokens");
  assert.equal(whole.usage.total_tokens, whole.usage.prompt_tokens + whole.usage.completion_tokens);

  // 3. Chat, streamed with include_usage: one usage chunk, without choices, after every content chunk.
  const stream = await client.chat.completions.create({
    model, messages, temperature: 0, max_completion_tokens: 24, stream: true, stream_options: { include_usage: true },
  });
  let streamedText = "";
  let role = null;
  let finish = null;
  const usages = [];
  let chunks = 0;
  for await (const chunk of stream) {
    chunks++;
    assert.equal(chunk.object, "chat.completion.chunk");
    if (chunk.usage) {
      usages.push(chunk.usage);
      assert.deepEqual(chunk.choices, [], "the usage chunk has no choices");
      continue;
    }
    assert.equal(usages.length, 0, "nothing follows the usage chunk");
    for (const choice of chunk.choices) {
      role ??= choice.delta.role ?? null;
      streamedText += choice.delta.content ?? "";
      finish = choice.finish_reason ?? finish;
    }
  }
  assert.equal(role, "assistant", "the first chunk names the role");
  assert.equal(usages.length, 1, "exactly one usage chunk");
  assert.equal(streamedText, whole.choices[0].message.content, "greedy streamed text equals the whole reply");
  assert.equal(finish, whole.choices[0].finish_reason);
  assert.equal(usages[0].completion_tokens, whole.usage.completion_tokens);

  // 4. Completions, whole and streamed.
  const completion = await client.completions.create({ model, prompt: "In the beginning", temperature: 0, max_tokens: 16 });
  assert.equal(completion.object, "text_completion");
  assert.equal(typeof completion.choices[0].text, "string");
  assert.ok(completion.usage.completion_tokens > 0);
  let streamedCompletion = "";
  for await (const chunk of await client.completions.create({ model, prompt: "In the beginning", temperature: 0, max_tokens: 16, stream: true })) {
    for (const choice of chunk.choices) streamedCompletion += choice.text;
  }
  assert.equal(streamedCompletion, completion.choices[0].text, "greedy streamed completion equals the whole one");

  // 5. Typed errors, from the OpenAI error bodies.
  const wrongKey = new OpenAI({ baseURL, apiKey: `${apiKey}-wrong`, maxRetries: 0 });
  await assert.rejects(wrongKey.chat.completions.create({ model, messages }), (e) => e instanceof OpenAI.AuthenticationError && e.status === 401);
  await assert.rejects(client.chat.completions.create({ model: "no-such-model", messages }),
    (e) => e instanceof OpenAI.NotFoundError && e.code === "model_not_found");
  await assert.rejects(client.chat.completions.create({ model, messages, temperature: 3 }),
    (e) => e instanceof OpenAI.BadRequestError && e.param === "temperature");

  console.log(JSON.stringify({
    model,
    chat: whole.choices[0].message.content,
    chat_usage: whole.usage,
    stream_chunks: chunks,
    completion: completion.choices[0].text,
  }));
}

main().catch((error) => {
  console.error(`error: ${error?.stack ?? error}`);
  process.exit(1);
});
