package dev.reprise.run;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.util.HashMap;
import java.util.Map;

/**
 * A run's trace: the trace of the request that started it is kept with the run (its W3C {@code
 * traceparent}), so that the node that executes the run, whichever it is, continues that trace.
 */
final class RunTracing {
  private static final String TRACEPARENT = "traceparent";
  private static final TextMapGetter<Map<String, String>> MAP =
      new TextMapGetter<>() {
        // why: an abstract method the API marks deprecated; the W3C propagator never calls it.
        @SuppressWarnings("deprecation")
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
          return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
          return carrier == null ? null : carrier.get(key);
        }
      };

  private final Tracer tracer;
  private final TextMapPropagator propagator;

  RunTracing(OpenTelemetry openTelemetry) {
    this.tracer = openTelemetry.getTracer("dev.reprise.run");
    this.propagator = openTelemetry.getPropagators().getTextMapPropagator();
  }

  /** The current trace as a {@code traceparent}, or null when there is none. */
  String currentParent() {
    Map<String, String> carrier = new HashMap<>();
    propagator.inject(Context.current(), carrier, Map::put);
    return carrier.get(TRACEPARENT);
  }

  /** Starts the span of a run, a child of the request that started it. */
  Span start(Run run, String node) {
    Context parent =
        run.traceParent() == null
            ? Context.root()
            : propagator.extract(Context.root(), Map.of(TRACEPARENT, run.traceParent()), MAP);
    return tracer
        .spanBuilder("run")
        .setParent(parent)
        .setSpanKind(SpanKind.CONSUMER)
        .setAttribute("reprise.run.id", run.id())
        .setAttribute("reprise.chat.id", run.chatId())
        .setAttribute("reprise.model", run.model())
        .setAttribute("reprise.node", node)
        .startSpan();
  }

  static void end(Span span, RunOutcome outcome) {
    span.setAttribute("reprise.run.status", outcome.status().wire());
    if (outcome.status() == RunStatus.FAILED) {
      span.setStatus(StatusCode.ERROR, outcome.error());
    }
    span.end();
  }
}
