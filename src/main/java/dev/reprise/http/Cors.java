package dev.reprise.http;

import dev.reprise.durable.DsHeaders;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/** CORS as the original API does it: any origin, and the run headers exposed to browsers. */
final class Cors implements Filter {
  static final HeaderName ALLOW_ORIGIN = HeaderNames.create("Access-Control-Allow-Origin");
  static final HeaderName ALLOW_METHODS = HeaderNames.create("Access-Control-Allow-Methods");
  static final HeaderName ALLOW_HEADERS = HeaderNames.create("Access-Control-Allow-Headers");
  static final HeaderName EXPOSE_HEADERS = HeaderNames.create("Access-Control-Expose-Headers");
  static final HeaderName MAX_AGE = HeaderNames.create("Access-Control-Max-Age");

  @Override
  public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
    res.header(ALLOW_ORIGIN, "*");
    res.header(ALLOW_METHODS, "GET, HEAD, POST, PUT, DELETE, OPTIONS, PATCH");
    res.header(
        ALLOW_HEADERS,
        "Content-Type, Authorization, X-Requested-With, x-api-key, Last-Event-ID,"
            + " x-reprise-transport, "
            + DsHeaders.REQUEST_HEADERS);
    res.header(
        EXPOSE_HEADERS,
        "x-workflow-run-id, x-workflow-stream-tail-index, x-reprise-chat-id, Location,"
            + " Retry-After");
    chain.proceed();
  }

  /** Answers a preflight request. */
  static void preflight(ServerRequest req, ServerResponse res) {
    res.header(MAX_AGE, "86400");
    res.status(Status.NO_CONTENT_204).send();
  }
}
