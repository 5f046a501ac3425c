package dev.reprise.durable;

/**
 * What an append did.
 *
 * @param next the stream's next offset after it, as an index
 * @param closed whether the stream is closed now
 * @param duplicate a producer's retry of an append already taken (nothing was written again)
 * @param producerSeq the producer sequence number to echo: the request's, or for a duplicate the
 *     highest one accepted; -1 without a producer
 */
public record DsAppended(long next, boolean closed, boolean duplicate, long producerSeq) {}
