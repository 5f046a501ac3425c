package dev.reprise.http;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an operator sees of each request, once it is answered (a stream's when it ends): a timer by
 * method, route template (never the path: ids would make every chat a new series) and status; a
 * server span continuing the caller's trace ({@code traceparent}), which a run the request starts
 * continues in turn; and, when asked for, an access-log line without the query string (it may carry
 * a token). One filter rather than three: every open stream keeps its filters' frames.
 */
final class RequestObserver implements Filter {
  private static final Logger ACCESS = LoggerFactory.getLogger("dev.reprise.access");
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
          return req == null ? null : req.headers().first(HeaderNames.create(key)).orElse(null);
        }
      };

  private final MeterRegistry meters;
  private final Tracer tracer;
  private final TextMapPropagator propagator;
  private final boolean accessLog;

  RequestObserver(Observability observability) {
    this.meters = observability.meters();
    this.tracer = observability.openTelemetry().getTracer("dev.reprise.http");
    this.propagator = observability.openTelemetry().getPropagators().getTextMapPropagator();
    this.accessLog = observability.accessLog();
  }

  @Override
  public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
    long start = System.nanoTime();
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
      long nanos = System.nanoTime() - start;
      String route = req.matchingPattern().orElse("unmatched");
      int status = res.status().code();
      Timer.builder("reprise.http.requests")
          .description("HTTP requests, by method, route template and status")
          .tag("method", method)
          .tag("route", route)
          .tag("status", Integer.toString(status))
          .register(meters)
          .record(nanos, TimeUnit.NANOSECONDS);
      end(span, method, route, status);
      if (accessLog) {
        ACCESS.info(
            "{} {} {} {}ms {}",
            method,
            req.path().rawPath(),
            status,
            nanos / 1_000_000,
            req.remotePeer().host());
      }
    }
  }

  private static void end(Span span, String method, String route, int status) {
    span.updateName(method + " " + route);
    span.setAttribute("http.route", route);
    span.setAttribute("http.response.status_code", status);
    if (status >= 500) {
      span.setStatus(StatusCode.ERROR);
    }
    span.end();
  }
}
