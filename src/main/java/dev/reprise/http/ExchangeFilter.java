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
 * connection once its response is sent.
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
    // why: after a Connection: close exchange Helidon keeps reading the connection: an unread body
    // would be parsed as a next request and answered with an unsolicited 400, and a client that
    // waits for the close (as RFC 9112 says it may) would wait for the idle timeout.
    if (req.headers().containsToken(HeaderValues.CONNECTION_CLOSE) && res.isSent()) {
      throw new CloseConnectionException("the client asked to close the connection");
    }
  }
}
