package dev.reprise.durable;

import java.time.Duration;

/**
 * The bounds of the Durable Streams surface.
 *
 * @param maxStreams streams per account
 * @param maxAccountBytes bytes the streams of one account may hold
 * @param maxAppendBytes bytes per request body (larger ones get 413)
 * @param longPollTimeout how long a long-poll waits for data before it answers 204
 * @param sseMaxDuration how long one SSE response lasts before the server ends it (the client
 *     reconnects from its last offset), so that connections do not pin a node forever
 */
public record DsLimits(
    int maxStreams,
    long maxAccountBytes,
    int maxAppendBytes,
    Duration longPollTimeout,
    Duration sseMaxDuration) {}
