// The trivial in-memory Node broadcast (the CPU reference): POST /run/:id?chunks=N&interval=I
// starts a run (the bench model's stamps and schedule) and streams it; GET /run/:id replays it and
// follows. Each frame is res.write()n to every reader; no log, no Redis.
import http from "node:http";

const port = Number(process.env.PORT || 19086);
const runs = new Map();
const anchor = (() => { const t = Date.now(); while (Date.now() === t) {} return Date.now() * 1000 - performance.now() * 1000; })();
const wallMicros = () => Math.round(anchor + performance.now() * 1000);
const HEADERS = { "content-type": "text/event-stream", "cache-control": "no-cache" };

function attach(run, res) {
  res.writeHead(200, HEADERS);
  for (const f of run.frames) res.write(f);
  if (run.closed) res.end("data: [DONE]\n\n");
  else { run.readers.add(res); res.on("close", () => run.readers.delete(res)); }
}

http.createServer((req, res) => {
  const url = new URL(req.url, "http://x");
  if (url.pathname === "/health") return res.writeHead(200).end("ok");
  const id = url.pathname.slice("/run/".length);
  if (req.method === "POST") {
    req.resume();
    const chunks = Number(url.searchParams.get("chunks") || 600), interval = Number(url.searchParams.get("interval") || 20);
    const run = { frames: [], readers: new Set(), closed: false };
    runs.set(id, run);
    attach(run, res);
    const t0 = performance.now();
    let i = 0;
    const tick = () => {
      const frame = `id: ${i}\ndata: {"type":"text-delta","id":"text-1","delta":"w${i}|${wallMicros()} "}\n\n`;
      run.frames.push(frame);
      for (const r of run.readers) r.write(frame);
      i++;
      if (i < chunks) setTimeout(tick, Math.max(0, t0 + (i + 1) * interval - performance.now()));
      else { run.closed = true; for (const r of run.readers) r.end("data: [DONE]\n\n"); run.readers.clear(); }
    };
    setTimeout(tick, interval);
  } else {
    const run = runs.get(id);
    if (!run) return res.writeHead(204).end();
    attach(run, res);
  }
}).listen(port, "127.0.0.1", () => console.error(`node floor on 127.0.0.1:${port}`));
process.on("SIGTERM", () => process.exit(0));
