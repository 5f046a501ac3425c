package dev.reprise.http;

import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/**
 * Times every request by method, route template (never the path itself: ids would make every chat a
 * new series) and status. A stream's request lasts as long as the stream.
 */
final class RequestMetrics implements Filter {
  private final MeterRegistry registry;

  RequestMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
    long start = System.nanoTime();
    try {
      chain.proceed();
    } finally {
      Timer.builder("reprise.http.requests")
          .description("HTTP requests, by method, route template and status")
          .tag("method", req.prologue().method().text())
          .tag("route", req.matchingPattern().orElse("unmatched"))
          .tag("status", Integer.toString(res.status().code()))
          .register(registry)
          .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    }
  }
}
