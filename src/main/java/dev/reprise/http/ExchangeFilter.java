package dev.reprise.http;

import io.helidon.http.HeaderValues;
import io.helidon.http.Method;
import io.helidon.http.RequestException;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

/**
 * The first filter of every exchange: it answers errors itself (so that a HEAD error has no body
 * either), marks HEAD requests for {@link HttpJson}, and closes a {@code Connection: close}
 * connection whose request body was never read.
 */
final class ExchangeFilter implements Filter {
  // why: Helidon handles the requests of one connection one after another on one virtual thread,
  // and a response does not know its request; the mark is set afresh for every request.
  private static final ThreadLocal<Boolean> HEAD = new ThreadLocal<>();

  private final ErrorResponder errors;

  ExchangeFilter(ErrorResponder errors) {
    this.errors = errors;
  }

  /** Whether the request being answered on this thread is a HEAD: answer it without a body. */
  static boolean isHead() {
    return Boolean.TRUE.equals(HEAD.get());
  }

  @Override
  public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
    HEAD.set(req.prologue().method() == Method.HEAD);
    try {
      chain.proceed();
    } catch (CloseConnectionException | RequestException e) {
      throw e;
    } catch (Exception e) {
      errors.respond(req, res, e);
    }
    // why: with Connection: close Helidon skips draining an unread body but still reads on, and
    // would parse the body as a next request and answer it with an unsolicited 400.
    if (req.headers().containsToken(HeaderValues.CONNECTION_CLOSE)
        && req.content().hasEntity()
        && !req.content().consumed()
        && res.isSent()) {
      throw new CloseConnectionException("request body left unread on a Connection: close request");
    }
  }
}
