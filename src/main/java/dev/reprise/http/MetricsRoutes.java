package dev.reprise.http;

import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/** {@code GET /metrics}: every meter of the node in the Prometheus text format. */
final class MetricsRoutes implements HttpService {
  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final HttpJson http;
  private final Observability observability;

  MetricsRoutes(HttpJson http, Observability observability) {
    this.http = http;
    this.observability = observability;
  }

  @Override
  public void routing(HttpRules rules) {
    rules.get("/metrics", this::scrape);
  }

  private void scrape(ServerRequest req, ServerResponse res) {
    Optional<String> token = observability.config().token();
    if (token.isPresent() && !authorized(req, token.get())) {
      res.header(HeaderNames.WWW_AUTHENTICATE, "Bearer");
      http.sendError(res, ApiException.unauthorized("A metrics token is required"));
      return;
    }
    byte[] body = observability.scrape().get().getBytes(StandardCharsets.UTF_8);
    res.header(HeaderNames.CONTENT_TYPE, CONTENT_TYPE);
    res.header(HeaderValues.CACHE_NO_CACHE);
    res.send(body);
  }

  private static boolean authorized(ServerRequest req, String token) {
    String expected = "Bearer " + token;
    return req.headers()
        .first(HeaderNames.AUTHORIZATION)
        .map(
            given ->
                MessageDigest.isEqual(
                    given.getBytes(StandardCharsets.UTF_8),
                    expected.getBytes(StandardCharsets.UTF_8)))
        .orElse(false);
  }
}
