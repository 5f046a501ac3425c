package dev.reprise.http;

import io.helidon.http.HttpPrologue;
import io.helidon.http.Method;
import io.helidon.webserver.http.HttpRoute;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * Every route that the recorded services register, so that a request no route took can be told
 * apart: a known path asked with a method it is not served with (405 and {@code Allow}) from a path
 * nothing serves (404).
 */
final class KnownRoutes {
  // why: the order in which Allow lists them; OPTIONS is answered on every path (CORS preflight).
  private static final List<Method> METHODS =
      List.of(Method.GET, Method.HEAD, Method.POST, Method.PUT, Method.PATCH, Method.DELETE);

  private final List<HttpRoute> routes = new CopyOnWriteArrayList<>();

  /** {@code service} as registered, with its routes recorded here. */
  HttpService record(HttpService service) {
    return new Recorded(service);
  }

  /** The methods served on this request's path, OPTIONS last; empty for a path nothing serves. */
  Set<Method> allowed(HttpPrologue request) {
    Set<Method> allowed = new LinkedHashSet<>();
    for (Method method : METHODS) {
      HttpPrologue asked =
          HttpPrologue.create(
              request.rawProtocol(),
              request.protocol(),
              request.protocolVersion(),
              method,
              request.uriPath(),
              request.query(),
              request.fragment());
      if (routes.stream().anyMatch(route -> route.accepts(asked).accepted())) {
        allowed.add(method);
      }
    }
    if (!allowed.isEmpty()) {
      allowed.add(Method.OPTIONS);
    }
    return allowed;
  }

  private final class Recorded implements HttpService {
    private final HttpService service;

    Recorded(HttpService service) {
      this.service = service;
    }

    @Override
    public void routing(HttpRules rules) {
      service.routing(new Recording(rules));
    }

    @Override
    public void beforeStart() {
      service.beforeStart();
    }

    @Override
    public void afterStop() {
      service.afterStop();
    }
  }

  /** Hands every route on to Helidon's rules and keeps it; the other methods all end in route. */
  private final class Recording implements HttpRules {
    private final HttpRules rules;

    Recording(HttpRules rules) {
      this.rules = rules;
    }

    @Override
    public HttpRules register(HttpService... services) {
      rules.register(
          Arrays.stream(services).map(KnownRoutes.this::record).toArray(HttpService[]::new));
      return this;
    }

    @Override
    public HttpRules register(String pathPattern, HttpService... services) {
      // why: the routes of a service under a prefix match paths relative to it; recorded as they
      // are, they would claim the wrong paths.
      throw new UnsupportedOperationException(
          "KnownRoutes records services registered at the root");
    }

    @Override
    public HttpRules route(HttpRoute route) {
      routes.add(route);
      rules.route(route);
      return this;
    }

    @Override
    public HttpRules route(Supplier<? extends HttpRoute> route) {
      return route(route.get());
    }
  }
}
