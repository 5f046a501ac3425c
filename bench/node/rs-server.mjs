// The resumable-stream peer: a small Node server doing what the AI SDK docs ("Chatbot Resume
// Streams") recommend. POST /api/chat streams a UI message stream and tees its SSE text into
// resumable-stream (consumeSseStream -> createNewResumableStream), recording the chat's
// activeStreamId; GET /api/chat/:id/stream answers 204 without an active stream, else
// resumeExistingStream(activeStreamId). The "model" is the bench model's twin: `chunks=N
// interval=I` (defaults 600 and 20), delta i is `w<i>|<emitWallMicros> `, due at t0 + (i+1)·I.
// `hold=MS` keeps the stream open that long after the last delta (for a late resume of a long
// stream: resumable-stream cannot replay a finished one). One resumable-stream context (and so
// one Redis publisher and one subscriber) per process, as its README shows.
import http from "node:http";
import { randomUUID } from "node:crypto";
import { createUIMessageStream, pipeUIMessageStreamToResponse, UI_MESSAGE_STREAM_HEADERS } from "ai";
import { createResumableStreamContext } from "resumable-stream";

const port = Number(process.env.PORT || 19081);
const keyPrefix = process.env.RS_KEY_PREFIX || "bench-rs";
const streamContext = createResumableStreamContext({ waitUntil: null, keyPrefix });
const chats = new Map(); // chatId -> { activeStreamId }

// Wall clock in microseconds: performance.now() anchored on a tick of Date.now().
const anchor = (() => {
  const t = Date.now();
  while (Date.now() === t) {}
  return Date.now() * 1000 - performance.now() * 1000;
})();
const wallMicros = () => Math.round(anchor + performance.now() * 1000);

function plan(text) {
  const num = (re, d) => { const m = re.exec(text); return m ? Number(m[1]) : d; };
  return { chunks: num(/\bchunks\s*=\s*(\d+)/, 600), interval: num(/\binterval\s*=\s*(\d+)/, 20), hold: num(/\bhold\s*=\s*(\d+)/, 0) };
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function readBody(req) {
  const parts = [];
  for await (const p of req) parts.push(p);
  return JSON.parse(Buffer.concat(parts).toString("utf8") || "{}");
}

function lastUserText(messages) {
  for (let i = (messages || []).length - 1; i >= 0; i--) {
    if (messages[i].role === "user") return (messages[i].parts || []).filter((p) => p.type === "text").map((p) => p.text).join("");
  }
  return "";
}

async function post(req, res) {
  const body = await readBody(req);
  const id = body.id || randomUUID();
  const p = plan(lastUserText(body.messages));
  chats.set(id, { activeStreamId: null }); // clear any previous active stream
  const streamId = randomUUID();
  const stream = createUIMessageStream({
    async execute({ writer }) {
      writer.write({ type: "start", messageId: "msg_" + streamId });
      writer.write({ type: "start-step" });
      writer.write({ type: "text-start", id: "text-1" });
      const t0 = performance.now();
      for (let i = 0; i < p.chunks; i++) {
        const wait = t0 + (i + 1) * p.interval - performance.now();
        if (wait > 0) await sleep(wait);
        else if (p.interval > 0 || i % 256 === 255) await new Promise(setImmediate);
        writer.write({ type: "text-delta", id: "text-1", delta: `w${i}|${wallMicros()} ` });
      }
      writer.write({ type: "text-end", id: "text-1" });
      writer.write({ type: "finish-step" });
      if (p.hold > 0) await sleep(p.hold);
      writer.write({ type: "finish", finishReason: "stop" });
    },
    onFinish() {
      chats.set(id, { activeStreamId: null }); // clear the active stream when finished
    },
  });
  pipeUIMessageStreamToResponse({
    response: res,
    stream,
    headers: { "x-workflow-run-id": streamId },
    async consumeSseStream({ stream }) {
      await streamContext.createNewResumableStream(streamId, () => stream);
      const chat = chats.get(id);
      if (chat) chat.activeStreamId = streamId;
    },
  });
}

async function resume(id, res) {
  const chat = chats.get(id);
  if (!chat || chat.activeStreamId == null) {
    res.writeHead(204).end();
    return;
  }
  const stream = await streamContext.resumeExistingStream(chat.activeStreamId);
  if (!stream) {
    res.writeHead(204).end();
    return;
  }
  res.writeHead(200, UI_MESSAGE_STREAM_HEADERS);
  const reader = stream.getReader();
  res.on("close", () => reader.cancel().catch(() => {}));
  try {
    while (true) {
      const { done, value } = await reader.read();
      if (done) break;
      if (!res.write(value)) await new Promise((r) => res.once("drain", r));
    }
  } catch {}
  res.end();
}

const server = http.createServer((req, res) => {
  const url = new URL(req.url, "http://x");
  let m;
  if (req.method === "POST" && url.pathname === "/api/chat") {
    post(req, res).catch((e) => { console.error(e); if (!res.headersSent) res.writeHead(500); res.end(); });
  } else if (req.method === "GET" && (m = /^\/api\/chat\/([^/]+)\/stream$/.exec(url.pathname))) {
    resume(decodeURIComponent(m[1]), res).catch((e) => { console.error(e); if (!res.headersSent) res.writeHead(500); res.end(); });
  } else if (url.pathname === "/health") {
    res.writeHead(200).end("ok");
  } else {
    res.writeHead(404).end();
  }
});
server.keepAliveTimeout = 60_000;
server.requestTimeout = 0;
server.maxConnections = 100_000;
server.listen(port, "127.0.0.1", () => console.error(`resumable-stream peer on 127.0.0.1:${port}`));
process.on("SIGTERM", () => process.exit(0));
