package dev.reprise.http;

import dev.reprise.durable.DsCreate;
import dev.reprise.durable.DsException;
import dev.reprise.durable.DsHeaders;
import dev.reprise.durable.DsMeta;
import dev.reprise.durable.DsMeta.ProducerTuple;
import dev.reprise.durable.DsOffset;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** The Durable Streams headers of a request, read and checked (a 400 for anything malformed). */
final class DsRequests {
  private static final Pattern NON_NEGATIVE = Pattern.compile("0|[1-9]\\d{0,17}");
  private static final Pattern DIGITS = Pattern.compile("\\d{1,16}");
  private static final Pattern MEDIA_TYPE = Pattern.compile("^[\\w.+-]+/[\\w.+-]+.*");
  private static final long MAX_SAFE_INTEGER = (1L << 53) - 1;
  private static final String STREAM_MARK = "/v1/stream/";

  private DsRequests() {}

  static Optional<String> header(ServerRequest req, String name) {
    return req.headers().first(HeaderNames.create(name));
  }

  /** The request's media type, or null when it gave none (or an empty or malformed one). */
  static String contentType(ServerRequest req) {
    return header(req, "Content-Type")
        .map(String::trim)
        .filter(type -> MEDIA_TYPE.matcher(type).matches())
        .orElse(null);
  }

  static boolean closes(ServerRequest req) {
    return header(req, DsHeaders.STREAM_CLOSED)
        .map(v -> v.trim().toLowerCase(Locale.ROOT).equals("true"))
        .orElse(false);
  }

  static DsCreate create(ServerRequest req, byte[] body) {
    Optional<String> ttl = header(req, DsHeaders.TTL);
    Optional<String> expires = header(req, DsHeaders.EXPIRES_AT);
    if (ttl.isPresent() && expires.isPresent()) {
      throw DsException.badRequest("give Stream-TTL or Stream-Expires-At, not both");
    }
    Long ttlSeconds = ttl.map(t -> nonNegative(t, DsHeaders.TTL)).orElse(null);
    String expiresAt = expires.map(String::trim).orElse(null);
    if (expiresAt != null && DsMeta.parseTime(expiresAt).isEmpty()) {
      throw DsException.badRequest("Stream-Expires-At must be an RFC 3339 time");
    }
    return new DsCreate(
        contentType(req), ttlSeconds, expiresAt, closes(req), body, fork(req).orElse(null));
  }

  private static Optional<DsCreate.Fork> fork(ServerRequest req) {
    Optional<String> source = header(req, DsHeaders.FORKED_FROM);
    Optional<String> offset = header(req, DsHeaders.FORK_OFFSET);
    Optional<String> sub = header(req, DsHeaders.FORK_SUB_OFFSET);
    if (source.isEmpty()) {
      if (sub.isPresent() || offset.isPresent()) {
        throw DsException.badRequest("fork headers need Stream-Forked-From");
      }
      return Optional.empty();
    }
    offset.ifPresent(DsOffset::index);
    long subOffset = sub.map(s -> nonNegative(s, DsHeaders.FORK_SUB_OFFSET)).orElse(0L);
    if (subOffset > 0 && offset.isEmpty()) {
      throw DsException.badRequest("Stream-Fork-Sub-Offset needs Stream-Fork-Offset");
    }
    return Optional.of(
        new DsCreate.Fork(streamPath(source.get().trim()), offset.orElse(null), subOffset));
  }

  /** A stream's path as the protocol's URLs name it: what follows {@code /v1/stream/}. */
  static String streamPath(String urlPath) {
    int mark = urlPath.indexOf(STREAM_MARK);
    String path = mark < 0 ? urlPath : urlPath.substring(mark + STREAM_MARK.length());
    while (path.startsWith("/")) {
      path = path.substring(1);
    }
    if (path.isEmpty() || path.length() > 1024) {
      throw DsException.badRequest("a stream path must have 1 to 1024 characters");
    }
    return path;
  }

  /** The idempotent producer's headers: all three, or none. */
  static Optional<ProducerTuple> producer(ServerRequest req) {
    Optional<String> id = header(req, DsHeaders.PRODUCER_ID);
    Optional<String> epoch = header(req, DsHeaders.PRODUCER_EPOCH);
    Optional<String> seq = header(req, DsHeaders.PRODUCER_SEQ);
    int given = (id.isPresent() ? 1 : 0) + (epoch.isPresent() ? 1 : 0) + (seq.isPresent() ? 1 : 0);
    if (given == 0) {
      return Optional.empty();
    }
    if (given < 3) {
      throw DsException.badRequest("Producer-Id, Producer-Epoch and Producer-Seq go together");
    }
    if (id.get().isEmpty()) {
      throw DsException.badRequest("Producer-Id must not be empty");
    }
    return Optional.of(
        new ProducerTuple(
            id.get(),
            safeInteger(epoch.get(), DsHeaders.PRODUCER_EPOCH),
            safeInteger(seq.get(), DsHeaders.PRODUCER_SEQ)));
  }

  static byte[] body(ServerRequest req, int maxBytes) {
    if (req.headers().contentLength().orElse(0) > maxBytes) {
      throw tooLarge(maxBytes);
    }
    if (!req.content().hasEntity()) {
      return new byte[0];
    }
    try (InputStream in = req.content().inputStream()) {
      byte[] body = in.readNBytes(maxBytes + 1);
      if (body.length > maxBytes) {
        throw tooLarge(maxBytes);
      }
      return body;
    } catch (IOException e) {
      throw DsException.badRequest("the request body could not be read");
    } catch (IllegalArgumentException e) {
      throw DsException.badRequest("the request body's chunked framing is malformed");
    }
  }

  private static DsException tooLarge(int maxBytes) {
    return new DsException(
        413, "the request body is larger than " + maxBytes + " bytes", java.util.Map.of());
  }

  private static long nonNegative(String text, String header) {
    String value = text.trim();
    if (!NON_NEGATIVE.matcher(value).matches()) {
      throw DsException.badRequest(
          header + " must be a non-negative integer without sign or zeros");
    }
    return Long.parseLong(value);
  }

  private static long safeInteger(String text, String header) {
    String value = text.trim();
    if (!DIGITS.matcher(value).matches() || Long.parseLong(value) > MAX_SAFE_INTEGER) {
      throw DsException.badRequest(header + " must be a non-negative integer up to 2^53-1");
    }
    return Long.parseLong(value);
  }
}
