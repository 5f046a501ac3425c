// The Durable Streams peer: the protocol's Node reference server (@durable-streams/server),
// file-backed (durable, like reprise) unless DS_MEMORY=1. Streams live at /v1/stream/<name>.
import { DurableStreamTestServer } from "@durable-streams/server";

const port = Number(process.env.PORT || 19082);
const options = { port, host: "127.0.0.1", longPollTimeout: 30_000, compression: false };
if (process.env.DS_MEMORY !== "1") options.dataDir = process.env.DS_DATA_DIR || "./ds-data";
const server = new DurableStreamTestServer(options);
await server.start();
console.error(`durable-streams reference server on ${server.baseUrl} (${options.dataDir ? "file-backed " + options.dataDir : "in-memory"})`);
process.on("SIGTERM", async () => { await server.stop().catch(() => {}); process.exit(0); });
