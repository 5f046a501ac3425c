package dev.reprise.durable;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/** The parts of a create that need no lock: its config, initial data, a fork's split entry. */
final class DsCreation {
  private final ObjectMapper mapper;

  DsCreation(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  /** Whether a repeated PUT asks for the stream as it exists (then it is idempotent, 200). */
  static boolean sameConfig(DsMeta old, DsCreate request, String sourceKey) {
    boolean typeMatches =
        request.contentType() == null
            ? old.forkedFrom() != null
                || DsContent.sameType(old.contentType(), DsContent.DEFAULT_TYPE)
            : DsContent.sameType(request.contentType(), old.contentType());
    if (!typeMatches || old.closed() != request.closed()) {
      return false;
    }
    if (!Objects.equals(sourceKey, old.forkedFrom())) {
      return false;
    }
    if (sourceKey == null) {
      return Objects.equals(request.ttlSeconds(), old.ttlSeconds())
          && Objects.equals(request.expiresAt(), old.expiresAt());
    }
    DsCreate.Fork fork = request.fork();
    boolean offsetMatches =
        fork.offset() == null || Objects.equals(DsOffset.index(fork.offset()), old.forkIndex());
    long oldSub = old.forkSubOffset() == null ? 0 : old.forkSubOffset();
    return offsetMatches && fork.subOffset() == oldSub;
  }

  void appendInitial(DsLogs logs, String logId, String contentType, byte[] body) {
    if (DsContent.isJson(contentType)) {
      List<String> values = DsContent.jsonValues(mapper, body, true);
      if (!values.isEmpty()) {
        logs.append(logId, DsContent.jsonEntry(values));
      }
      return;
    }
    logs.append(logId, DsContent.entry(body));
  }

  /** The first {@code subOffset} bytes (or JSON values) of a log entry, as an entry. */
  String prefix(String entry, long subOffset, boolean json) {
    if (json) {
      List<String> values = DsContent.splitValues(mapper, DsContent.jsonValues(entry));
      if (subOffset > values.size()) {
        throw DsException.badRequest("the fork sub-offset is past the entry's last value");
      }
      return DsContent.jsonEntry(values.subList(0, (int) subOffset));
    }
    byte[] bytes = DsContent.bytes(entry);
    if (subOffset > bytes.length) {
      throw DsException.badRequest("the fork sub-offset is past the entry's last byte");
    }
    return DsContent.entry(Arrays.copyOf(bytes, (int) subOffset));
  }

  DsMeta meta(
      String key,
      String accountId,
      String path,
      String logId,
      String contentType,
      DsCreate request,
      DsMeta source,
      long forkIndex,
      Instant now) {
    Long ttl = request.ttlSeconds();
    String expiresAt = request.expiresAt();
    if (source != null && ttl == null && expiresAt == null) {
      ttl = source.ttlSeconds();
      expiresAt = source.expiresAt();
    }
    Long subOffset =
        source != null && request.fork().subOffset() > 0 ? request.fork().subOffset() : null;
    return new DsMeta(
        key,
        accountId,
        path,
        logId,
        contentType == null ? DsContent.DEFAULT_TYPE : contentType,
        ttl,
        expiresAt,
        request.closed(),
        null,
        null,
        null,
        source == null ? null : source.key(),
        source == null ? null : forkIndex,
        subOffset,
        0,
        false,
        now,
        now);
  }
}
