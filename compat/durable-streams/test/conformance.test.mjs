// The Durable Streams protocol's own conformance suite (npm @durable-streams/server-conformance-tests),
// pointed at a reprise server. DS_URL is a capability URL (…/ds/cap/{token}) with the manage scope:
// the suite sends no credentials and appends /v1/stream/{path} to it.
// The server's long-poll timeout must be short (REPRISE_DS_LONG_POLL_MS=500): several tests wait
// for a long-poll's 204 within vitest's time limit.
import { runConformanceTests } from '@durable-streams/server-conformance-tests';

const baseUrl = process.env.DS_URL;
if (!baseUrl) {
  throw new Error('DS_URL is not set: a capability URL of a running reprise server (see README.md)');
}
runConformanceTests({ baseUrl, longPollTimeoutMs: 500 });
