import { config } from 'zod/v4/core';

// why: the page runs under `script-src 'self'` (no eval). Zod, which the AI SDK uses, probes for
// eval with `Function('')` before it compiles fast parsers; the probe fails safely but reports a
// CSP violation. Jitless mode never probes.
config({ jitless: true });
