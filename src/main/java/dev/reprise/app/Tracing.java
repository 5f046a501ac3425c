package dev.reprise.app;

import dev.reprise.config.TracingConfig;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.concurrent.TimeUnit;

/**
 * The node's OpenTelemetry: spans batched to an OTLP/HTTP collector when one is configured, a no-op
 * otherwise. W3C trace context in both cases, so that a caller's {@code traceparent} is continued.
 */
record Tracing(OpenTelemetry openTelemetry, SdkTracerProvider provider) implements AutoCloseable {

  static Tracing open(TracingConfig config, String nodeId) {
    if (config.endpoint().isEmpty()) {
      return new Tracing(
          OpenTelemetry.propagating(
              ContextPropagators.create(W3CTraceContextPropagator.getInstance())),
          null);
    }
    String base = config.endpoint().get().toString().replaceAll("/+$", "");
    return withExporter(
        OtlpHttpSpanExporter.builder().setEndpoint(base + "/v1/traces").build(),
        config.serviceName(),
        nodeId);
  }

  /** Spans go to {@code exporter} (tests hand an in-memory one). */
  static Tracing withExporter(SpanExporter exporter, String serviceName, String nodeId) {
    Resource resource =
        Resource.getDefault()
            .merge(
                Resource.create(
                    Attributes.of(
                        AttributeKey.stringKey("service.name"), serviceName,
                        AttributeKey.stringKey("service.instance.id"), nodeId)));
    SdkTracerProvider provider =
        SdkTracerProvider.builder()
            .setResource(resource)
            .addSpanProcessor(BatchSpanProcessor.builder(exporter).build())
            .build();
    OpenTelemetrySdk sdk =
        OpenTelemetrySdk.builder()
            .setTracerProvider(provider)
            .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
            .build();
    return new Tracing(sdk, provider);
  }

  /** Sends what is still batched, within a few seconds, then stops. */
  @Override
  public void close() {
    if (provider != null) {
      provider.shutdown().join(5, TimeUnit.SECONDS);
    }
  }
}
