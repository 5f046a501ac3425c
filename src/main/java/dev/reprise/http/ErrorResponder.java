package dev.reprise.http;

import dev.reprise.run.DrainingException;
import dev.reprise.storage.StorageException;
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
      case StorageException storage -> {
        // why: a full disk or a database that went away is the server's state, not a bug: the
        // client may retry, and the operator sees it in /health and in this log.
        LOG.warn(
            "{} {}: storage failed: {}", req.prologue().method(), req.path().path(), e.toString());
        sendIfOpen(
            res, ApiException.unavailable("The server cannot store data right now; retry shortly"));
      }
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
