package dev.reprise.http;

import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per request once it is answered (a stream's when it ends): method, path, status, how
 * long it took, the client's address. Query strings are left out: they may carry a token.
 */
final class AccessLog implements Filter {
  private static final Logger LOG = LoggerFactory.getLogger("dev.reprise.access");

  @Override
  public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
    long start = System.nanoTime();
    try {
      chain.proceed();
    } finally {
      LOG.info(
          "{} {} {} {}ms {}",
          req.prologue().method().text(),
          req.path().rawPath(),
          res.status().code(),
          (System.nanoTime() - start) / 1_000_000,
          req.remotePeer().host());
    }
  }
}
