package dev.reprise.http;

import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.util.List;

/**
 * A server span for every request, continuing the caller's trace ({@code traceparent}); a run that
 * the request starts continues it in turn, on whichever node executes the run.
 */
final class RequestTracing implements Filter {
  private static final TextMapGetter<RoutingRequest> HEADERS =
      new TextMapGetter<>() {
        // why: an abstract method the API marks deprecated; the W3C propagator never calls it.
        @SuppressWarnings("deprecation")
        @Override
        public Iterable<String> keys(RoutingRequest req) {
          return List.of("traceparent", "tracestate");
        }

        @Override
        public String get(RoutingRequest req, String key) {
          return req == null
              ? null
              : req.headers().first(io.helidon.http.HeaderNames.create(key)).orElse(null);
        }
      };

  private final Tracer tracer;
  private final TextMapPropagator propagator;

  RequestTracing(OpenTelemetry openTelemetry) {
    this.tracer = openTelemetry.getTracer("dev.reprise.http");
    this.propagator = openTelemetry.getPropagators().getTextMapPropagator();
  }

  @Override
  public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
    String method = req.prologue().method().text();
    Span span =
        tracer
            .spanBuilder(method)
            .setParent(propagator.extract(Context.current(), req, HEADERS))
            .setSpanKind(SpanKind.SERVER)
            .setAttribute("http.request.method", method)
            .setAttribute("url.path", req.path().rawPath())
            .startSpan();
    try (Scope scope = span.makeCurrent()) {
      chain.proceed();
    } finally {
      req.matchingPattern()
          .ifPresent(
              route -> {
                span.updateName(method + " " + route);
                span.setAttribute("http.route", route);
              });
      int status = res.status().code();
      span.setAttribute("http.response.status_code", status);
      if (status >= 500) {
        span.setStatus(StatusCode.ERROR);
      }
      span.end();
    }
  }
}
