package dev.reprise.http;

import dev.reprise.run.DrainingException;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns an exception from a handler into its answer in the error envelope. */
final class ErrorResponder {
  private static final Logger LOG = LoggerFactory.getLogger(ErrorResponder.class);

  private final HttpJson http;

  ErrorResponder(HttpJson http) {
    this.http = http;
  }

  void respond(ServerRequest req, ServerResponse res, Throwable e) {
    switch (e) {
      case ApiException api -> sendIfOpen(res, api);
      case DrainingException draining ->
          sendIfOpen(
              res, new ApiException(503, "The server is shutting down; retry shortly", List.of()));
      default -> {
        LOG.error("{} {} failed", req.prologue().method(), req.path().path(), e);
        if (!res.isSent()) {
          http.send(
              res, Status.INTERNAL_SERVER_ERROR_500.code(), ErrorBody.of("Internal server error"));
        }
      }
    }
  }

  private void sendIfOpen(ServerResponse res, ApiException e) {
    if (!res.isSent()) {
      http.sendError(res, e);
    }
  }
}
