package dev.reprise.durable;

import dev.reprise.durable.DsMeta.ProducerTuple;

/**
 * What a {@code POST} asks for.
 *
 * @param contentType the request's Content-Type (may be null for a close-only request)
 * @param body the data, empty for a close-only request
 * @param close close the stream (after appending the body, atomically)
 * @param seq the writer's {@code Stream-Seq}, or null
 * @param producer the idempotent producer's id, epoch and sequence number, or null
 */
public record DsAppend(
    String contentType, byte[] body, boolean close, String seq, ProducerTuple producer) {}
