// Server-sent events over fetch: EventSource cannot POST a body or send an Authorization header, so the playground
// reads the response stream itself and splits it into events as the SSE specification does.

/**
 * Yields the data of each event in a text/event-stream body, as it arrives.
 * Events end at a blank line; their "data:" lines are joined with "\n"; comments (": keep-alive") and other fields
 * are skipped. Bytes are decoded with a streaming decoder, so a character split across network reads stays whole.
 * @param {ReadableStream<Uint8Array>} body
 * @returns {AsyncGenerator<string>}
 */
export async function* readEventData(body) {
  const reader = body.getReader();
  const decoder = new TextDecoder("utf-8");
  let buffered = "";
  let data = [];
  try {
    for (;;) {
      const { value, done } = await reader.read();
      buffered += done ? decoder.decode() : decoder.decode(value, { stream: true });
      // Only complete lines are parsed; the unfinished tail waits for the next read.
      let end;
      while ((end = lineEnd(buffered)) >= 0) {
        const line = buffered.slice(0, end);
        buffered = buffered.slice(end + (buffered[end] === "\r" && buffered[end + 1] === "\n" ? 2 : 1));
        if (line === "") {
          if (data.length > 0) yield data.join("\n");
          data = [];
        } else if (line.startsWith("data:")) {
          data.push(line.slice(line.startsWith("data: ") ? 6 : 5));
        }
      }
      if (done) {
        // A stream cut off without its blank line still delivers what it completed.
        const tail = buffered.endsWith("\r") ? buffered.slice(0, -1) : buffered;
        if (tail.startsWith("data:")) data.push(tail.slice(tail.startsWith("data: ") ? 6 : 5));
        if (data.length > 0) yield data.join("\n");
        return;
      }
    }
  } finally {
    reader.releaseLock();
  }
}

function lineEnd(text) {
  const lf = text.indexOf("\n");
  const cr = text.indexOf("\r");
  if (cr < 0) return lf;
  // A lone "\r" at the very end may be the first half of "\r\n": wait for the next read to decide.
  if (cr === text.length - 1) return lf >= 0 && lf < cr ? lf : -1;
  return lf < 0 ? cr : Math.min(lf, cr);
}

/**
 * Reads an OpenAI chat completion stream and reports what it carries.
 * @param {ReadableStream<Uint8Array>} body
 * @param {{ onText?: (text: string) => void, onFinish?: (reason: string) => void, onUsage?: (usage: object) => void }} handlers
 * @returns {Promise<{ done: boolean }>} done: whether the stream ended with data: [DONE] (a cut stream did not).
 * @throws {Error} An in-band error event (data: {"error": …}) or a chunk that is not JSON; the message is the server's.
 */
export async function readChatStream(body, handlers) {
  for await (const data of readEventData(body)) {
    if (data === "[DONE]") return { done: true };
    let chunk;
    try {
      chunk = JSON.parse(data);
    } catch {
      throw new Error(`the server sent an event that is not JSON: ${data.slice(0, 200)}`);
    }
    if (chunk.error) throw new ServerError(chunk.error);
    for (const choice of chunk.choices ?? []) {
      // The playground asks for one choice; any other index would be a second reply.
      if (choice.index !== 0) continue;
      const text = choice.delta?.content;
      if (text) handlers.onText?.(text);
      if (choice.finish_reason) handlers.onFinish?.(choice.finish_reason);
    }
    if (chunk.usage) handlers.onUsage?.(chunk.usage);
  }
  return { done: false };
}

/** An OpenAI error body ({"error": {message, type, param, code}}) as an Error whose message is the server's. */
export class ServerError extends Error {
  constructor(error, status) {
    super(typeof error?.message === "string" && error.message ? error.message : "the server reported an error without a message");
    this.name = "ServerError";
    this.status = status;
    this.type = error?.type ?? null;
    this.param = error?.param ?? null;
    this.code = error?.code ?? null;
  }
}

/**
 * The error a failed response describes: its OpenAI error body when it has one, else its status and text.
 * @param {Response} response
 * @returns {Promise<ServerError>}
 */
export async function responseError(response) {
  const text = await response.text().catch(() => "");
  try {
    const body = JSON.parse(text);
    if (body && typeof body.error === "object" && body.error !== null) return new ServerError(body.error, response.status);
  } catch {
    // Not JSON: fall through to the status line.
  }
  const detail = text.trim().slice(0, 300);
  return new ServerError({ message: `HTTP ${response.status} ${response.statusText}${detail ? `: ${detail}` : ""}` }, response.status);
}
