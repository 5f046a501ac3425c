package dev.reprise.http;

import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** The answer to a request no route took: 405 on a known path, otherwise 404. */
final class Unrouted implements Handler {
  private final KnownRoutes known;
  private final HttpJson http;

  Unrouted(KnownRoutes known, HttpJson http) {
    this.known = known;
    this.http = http;
  }

  @Override
  public void handle(ServerRequest req, ServerResponse res) {
    Method asked = req.prologue().method();
    Set<Method> allowed = known.allowed(req.prologue());
    // why: a route that serves this method may still pass a request on (an asset that is not
    // there).
    if (allowed.isEmpty() || allowed.contains(asked)) {
      http.sendError(res, ApiException.notFound("Not found"));
      return;
    }
    String allow = allowed.stream().map(Method::text).collect(Collectors.joining(", "));
    String use =
        allowed.stream()
            .filter(m -> !m.equals(Method.OPTIONS) && !m.equals(Method.HEAD))
            .map(Method::text)
            .collect(Collectors.joining(" or "));
    res.header(HeaderNames.ALLOW, allow);
    http.sendError(
        res,
        new ApiException(
            405, asked.text() + " is not allowed on this path; use " + use, List.of()));
  }
}
