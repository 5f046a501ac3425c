package dev.reprise.http;

import dev.reprise.durable.DsException;
import dev.reprise.durable.DsHeaders;
import dev.reprise.durable.DsMeta;
import dev.reprise.durable.DsOffset;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/** Headers every Durable Streams response shares, and its refusals. */
final class DsResponses {
  private DsResponses() {}

  /**
   * The protocol's browser-security headers (no MIME sniffing of stream data, readable across
   * origins as CORS allows), and its headers exposed to browsers.
   */
  static void securityHeaders(ServerResponse res) {
    res.header("X-Content-Type-Options", "nosniff");
    res.header("Cross-Origin-Resource-Policy", "cross-origin");
    res.header(Cors.EXPOSE_HEADERS, DsHeaders.RESPONSE_HEADERS);
  }

  /** A refusal: its status, its protocol headers, and the error envelope. */
  static void refuse(HttpJson http, ServerResponse res, DsException e) {
    for (Map.Entry<String, String> header : e.headers().entrySet()) {
      res.header(header.getKey(), header.getValue());
    }
    res.header(HeaderNames.CACHE_CONTROL, "no-store");
    http.send(res, e.status(), ErrorBody.of(e.getMessage()));
  }

  static void head(ServerResponse res, DsMeta meta, long next) {
    res.header(HeaderNames.CONTENT_TYPE, meta.contentType());
    res.header(DsHeaders.NEXT_OFFSET, DsOffset.of(next));
    res.header(HeaderNames.CACHE_CONTROL, "no-store");
    if (meta.closed()) {
      res.header(DsHeaders.STREAM_CLOSED, "true");
    }
    if (meta.ttlSeconds() != null) {
      res.header(DsHeaders.TTL, Long.toString(meta.ttlSeconds()));
    }
    if (meta.expiresAt() != null) {
      res.header(DsHeaders.EXPIRES_AT, meta.expiresAt());
    }
    res.header(HeaderNames.ETAG, etag(meta.path(), "-1", next, meta.closed()));
    res.status(Status.OK_200).send();
  }

  /** An ETag naming the stream, the offset a read started at, where it ended, and closure. */
  static String etag(String path, String start, long next, boolean closed) {
    String id =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(path.getBytes(StandardCharsets.UTF_8));
    return "\"" + id + ":" + start + ":" + DsOffset.of(next) + (closed ? ":c" : "") + "\"";
  }
}
