package dev.reprise.durable;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reprise.durable.DsMeta.ProducerTuple;
import dev.reprise.durable.DsProducers.Verdict;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Appends and closes. Each runs under the stream's lock, so that the checks (closed, content type,
 * {@code Stream-Seq}, the producer's epoch and sequence) and the append they admit are one step on
 * every node, and the stream's entry lands durably before any reader is shown it.
 */
public final class DsWriter {
  private final DurableStreams streams;
  private final ObjectMapper mapper;

  public DsWriter(DurableStreams streams, ObjectMapper mapper) {
    this.streams = streams;
    this.mapper = mapper;
  }

  public DsAppended append(String accountId, String path, DsAppend request) {
    String key = DurableStreams.key(accountId, path);
    DsMeta[] touched = {null};
    streams.usage().refresh(accountId);
    try {
      return streams.catalog().locked(List.of(key), tx -> appendLocked(tx, key, request, touched));
    } finally {
      if (touched[0] != null) {
        streams.touch(touched[0]);
      }
    }
  }

  private DsAppended appendLocked(DsCatalog.Tx tx, String key, DsAppend request, DsMeta[] touched) {
    DsLogs logs = streams.logs();
    Instant now = streams.clock().instant();
    DsMeta meta = tx.find(key).orElseThrow(DsException::notFound);
    if (meta.softDeleted()) {
      throw DsException.gone();
    }
    if (meta.expiredAt(now)) {
      throw DsException.notFound();
    }
    // why: even a refused append (closed, a producer's duplicate) is a write that keeps a sliding
    // TTL alive.
    touched[0] = meta;
    boolean closeOnly = request.close() && request.body().length == 0;
    if (meta.closed()) {
      return refuseClosed(meta, request, closeOnly, logs.next(meta.logId()));
    }
    if (!closeOnly && !DsContent.sameType(request.contentType(), meta.contentType())) {
      throw DsException.conflict(
          "the stream's content type is " + meta.contentType() + ", not " + request.contentType());
    }
    DsMeta next = meta;
    if (request.producer() != null) {
      Verdict verdict = DsProducers.judge(meta.producers(), request.producer(), now);
      if (!(verdict instanceof Verdict.Accepted accepted)) {
        return refuseProducer(verdict, request.producer(), logs.next(meta.logId()));
      }
      next = next.withProducer(request.producer().id(), accepted.state());
    }
    if (request.seq() != null && !closeOnly) {
      if (meta.lastSeq() != null && request.seq().compareTo(meta.lastSeq()) <= 0) {
        throw DsException.conflict(
            "Stream-Seq " + request.seq() + " is not after the last one, " + meta.lastSeq());
      }
      next = next.withSeq(request.seq());
    }
    String entry = closeOnly ? null : entry(meta, request.body());
    if (entry != null) {
      streams.usage().check(meta.accountId(), entry.length());
    }
    long tail = entry == null ? logs.next(meta.logId()) : logs.append(meta.logId(), entry);
    if (entry != null) {
      streams.usage().add(meta, entry.length());
    }
    if (request.close()) {
      next = next.closedBy(request.producer());
      logs.close(meta.logId());
    }
    if (!next.equals(meta)) {
      tx.update(next);
    }
    long producerSeq = request.producer() == null ? -1 : request.producer().seq();
    return new DsAppended(tail, next.closed(), false, producerSeq);
  }

  private String entry(DsMeta meta, byte[] body) {
    if (meta.isJson()) {
      return DsContent.jsonEntry(DsContent.jsonValues(mapper, body, false));
    }
    return DsContent.entry(body);
  }

  /** An append to a closed stream: a retry of the producer's closing append, or a conflict. */
  private static DsAppended refuseClosed(
      DsMeta meta, DsAppend request, boolean closeOnly, long tail) {
    ProducerTuple producer = request.producer();
    if (producer != null && producer.equals(meta.closedBy())) {
      return new DsAppended(tail, true, true, producer.seq());
    }
    if (closeOnly && producer == null) {
      return new DsAppended(tail, true, false, -1);
    }
    throw new DsException(
        409,
        "the stream is closed",
        Map.of(DsHeaders.STREAM_CLOSED, "true", DsHeaders.NEXT_OFFSET, DsOffset.of(tail)));
  }

  private static DsAppended refuseProducer(Verdict verdict, ProducerTuple producer, long tail) {
    return switch (verdict) {
      case Verdict.Duplicate duplicate -> new DsAppended(tail, false, true, duplicate.lastSeq());
      case Verdict.StaleEpoch stale ->
          throw new DsException(
              403,
              "producer epoch "
                  + producer.epoch()
                  + " is stale; the current one is "
                  + stale.currentEpoch(),
              Map.of(DsHeaders.PRODUCER_EPOCH, Long.toString(stale.currentEpoch())));
      case Verdict.NewEpochNotAtZero ignored ->
          throw DsException.badRequest("a new producer epoch must start at Producer-Seq 0");
      case Verdict.Gap gap ->
          throw new DsException(
              409,
              "producer sequence gap: expected " + gap.expected() + ", got " + gap.received(),
              Map.of(
                  DsHeaders.PRODUCER_EXPECTED_SEQ,
                  Long.toString(gap.expected()),
                  DsHeaders.PRODUCER_RECEIVED_SEQ,
                  Long.toString(gap.received())));
      case Verdict.Accepted ignored -> throw new IllegalStateException("accepted is not refused");
    };
  }
}
