package dev.reprise.durable;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What reprise knows of one Durable Stream besides its data, which is in the stream log under
 * {@code logId}.
 *
 * @param key the account's id and the stream's path, the catalog's key
 * @param contentType as given at creation (echoed in headers); compared in its normalised form
 * @param ttlSeconds the sliding time to live, or null
 * @param expiresAt the absolute expiry as given (RFC 3339), or null
 * @param closedBy the producer whose append closed the stream, so a retry of it deduplicates
 * @param lastSeq the highest {@code Stream-Seq} accepted, or null
 * @param forkedFrom the key of the stream this one was forked from, or null
 * @param refCount how many live forks name this stream as their source
 * @param softDeleted deleted (or expired) while forks still referred to it: gone for readers
 * @param touchedAt the last read or write (for the sliding TTL); kept beside the JSON, not in it
 */
public record DsMeta(
    String key,
    String accountId,
    String path,
    String logId,
    String contentType,
    Long ttlSeconds,
    String expiresAt,
    boolean closed,
    ProducerTuple closedBy,
    String lastSeq,
    Map<String, ProducerState> producers,
    String forkedFrom,
    Long forkIndex,
    Long forkSubOffset,
    int refCount,
    boolean softDeleted,
    Instant createdAt,
    @JsonIgnore Instant touchedAt) {

  public DsMeta {
    producers = producers == null ? Map.of() : Map.copyOf(producers);
  }

  /** An idempotent producer's state on this stream. */
  public record ProducerState(long epoch, long seq, Instant updatedAt) {}

  /** The producer, epoch and sequence number of one append. */
  public record ProducerTuple(String id, long epoch, long seq) {}

  /** When the stream expires, if it does: its TTL after the last touch, or its Expires-At. */
  public Optional<Instant> expiry() {
    if (ttlSeconds != null) {
      return Optional.of(touchedAt.plusSeconds(ttlSeconds));
    }
    return Optional.ofNullable(expiresAt).map(DsMeta::parseInstant);
  }

  public boolean expiredAt(Instant now) {
    return expiry().map(at -> !now.isBefore(at)).orElse(false);
  }

  public boolean isJson() {
    return DsContent.isJson(contentType);
  }

  public DsMeta withTouched(Instant at) {
    return new DsMeta(
        key,
        accountId,
        path,
        logId,
        contentType,
        ttlSeconds,
        expiresAt,
        closed,
        closedBy,
        lastSeq,
        producers,
        forkedFrom,
        forkIndex,
        forkSubOffset,
        refCount,
        softDeleted,
        createdAt,
        at);
  }

  public DsMeta closedBy(ProducerTuple producer) {
    return new DsMeta(
        key,
        accountId,
        path,
        logId,
        contentType,
        ttlSeconds,
        expiresAt,
        true,
        producer,
        lastSeq,
        producers,
        forkedFrom,
        forkIndex,
        forkSubOffset,
        refCount,
        softDeleted,
        createdAt,
        touchedAt);
  }

  public DsMeta withSeq(String seq) {
    return new DsMeta(
        key,
        accountId,
        path,
        logId,
        contentType,
        ttlSeconds,
        expiresAt,
        closed,
        closedBy,
        seq,
        producers,
        forkedFrom,
        forkIndex,
        forkSubOffset,
        refCount,
        softDeleted,
        createdAt,
        touchedAt);
  }

  public DsMeta withProducer(String id, ProducerState state) {
    Map<String, ProducerState> next = new LinkedHashMap<>(producers);
    next.put(id, state);
    return new DsMeta(
        key,
        accountId,
        path,
        logId,
        contentType,
        ttlSeconds,
        expiresAt,
        closed,
        closedBy,
        lastSeq,
        next,
        forkedFrom,
        forkIndex,
        forkSubOffset,
        refCount,
        softDeleted,
        createdAt,
        touchedAt);
  }

  public DsMeta withRefCount(int count) {
    return new DsMeta(
        key,
        accountId,
        path,
        logId,
        contentType,
        ttlSeconds,
        expiresAt,
        closed,
        closedBy,
        lastSeq,
        producers,
        forkedFrom,
        forkIndex,
        forkSubOffset,
        Math.max(0, count),
        softDeleted,
        createdAt,
        touchedAt);
  }

  public DsMeta asSoftDeleted() {
    return new DsMeta(
        key,
        accountId,
        path,
        logId,
        contentType,
        ttlSeconds,
        expiresAt,
        closed,
        closedBy,
        lastSeq,
        producers,
        forkedFrom,
        forkIndex,
        forkSubOffset,
        refCount,
        true,
        createdAt,
        touchedAt);
  }

  /** An RFC 3339 time, with Z or an offset; empty when it is not one. */
  public static Optional<Instant> parseTime(String text) {
    try {
      return Optional.of(OffsetDateTime.parse(text.trim()).toInstant());
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  private static Instant parseInstant(String text) {
    // why: validated at creation; a value that no longer parses has expired rather than lived on.
    return parseTime(text).orElse(Instant.EPOCH);
  }
}
