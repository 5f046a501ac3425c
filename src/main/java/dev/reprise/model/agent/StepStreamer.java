package dev.reprise.model.agent;

import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.reprise.model.AgentSettings;
import dev.reprise.model.Cancellation;
import dev.reprise.model.CancelledException;
import dev.reprise.model.ModelException;
import dev.reprise.model.Redactor;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One model call, streamed into a step's chunks. A call that fails before anything reached the user
 * is retried with backoff; once output has started, a failure ends the answer.
 */
final class StepStreamer {
  private static final Logger LOG = LoggerFactory.getLogger(StepStreamer.class);

  private final String modelId;
  private final String modelName;
  private final Provider provider;
  private final AgentSettings settings;
  private final Redactor redactor;
  private final UpstreamMetrics metrics;

  StepStreamer(
      String modelId,
      String modelName,
      Provider provider,
      AgentSettings settings,
      Redactor redactor,
      UpstreamMetrics metrics) {
    this.modelId = modelId;
    this.modelName = modelName;
    this.provider = provider;
    this.settings = settings;
    this.redactor = redactor;
    this.metrics = metrics;
  }

  StepOutcome stream(
      List<ChatMessage> messages,
      List<ToolSpecification> tools,
      StepChunks chunks,
      Cancellation cancellation)
      throws ModelException, CancelledException {
    for (int attempt = 1; ; attempt++) {
      cancellation.check();
      long start = System.nanoTime();
      Span span = metrics.start(attempt);
      try (Scope scope = span.makeCurrent()) {
        StepOutcome outcome = attempt(messages, tools, chunks, cancellation);
        metrics.call(UpstreamMetrics.Outcome.OK, start);
        metrics.tokens(outcome.usage());
        UpstreamMetrics.end(span, UpstreamMetrics.Outcome.OK, outcome.usage());
        return outcome;
      } catch (CancelledException e) {
        metrics.call(UpstreamMetrics.Outcome.CANCELLED, start);
        UpstreamMetrics.end(span, UpstreamMetrics.Outcome.CANCELLED, null);
        throw e;
      } catch (UpstreamFailure failure) {
        // why: tearing the connection down makes the stream fail; that failure is the stop's.
        if (cancellation.isCancelled()) {
          metrics.call(UpstreamMetrics.Outcome.CANCELLED, start);
          UpstreamMetrics.end(span, UpstreamMetrics.Outcome.CANCELLED, null);
        }
        cancellation.check();
        boolean last = !failure.retryable() || chunks.emitted() || attempt > settings.retries();
        UpstreamMetrics.Outcome ended =
            last ? UpstreamMetrics.Outcome.FAILED : UpstreamMetrics.Outcome.RETRIED;
        metrics.call(ended, start);
        UpstreamMetrics.end(span, ended, null);
        if (last) {
          LOG.warn(
              "model {}: call failed{}: {}",
              modelId,
              chunks.emitted() ? " after its output started" : "",
              failure.logDetail());
          throw new ModelException(failure.userMessage());
        }
        Duration wait = backoff(attempt, failure);
        LOG.info(
            "model {}: {}; retry {} of {} in {} ms",
            modelId,
            failure.logDetail(),
            attempt,
            settings.retries(),
            wait.toMillis());
        cancellation.sleep(wait);
      }
    }
  }

  private StepOutcome attempt(
      List<ChatMessage> messages,
      List<ToolSpecification> tools,
      StepChunks chunks,
      Cancellation cancellation)
      throws UpstreamFailure, CancelledException {
    LinkedBlockingQueue<StreamEvent> events = new LinkedBlockingQueue<>();
    UpstreamCall call = new UpstreamCall(provider.http(), events, settings.timeout());
    cancellation.onCancel(
        () -> {
          events.offer(new StreamEvent.Cancelled());
          call.abort();
        });
    try {
      ChatRequest.Builder request = ChatRequest.builder().messages(messages);
      if (!tools.isEmpty()) {
        request.toolSpecifications(tools);
      }
      try {
        provider
            .open(modelName, call.builder())
            .chat(request.build(), new QueueingHandler(events, provider.unmappedReader()));
      } catch (RuntimeException e) {
        throw UpstreamFailure.from(e, redactor);
      }
      return drain(events, chunks);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CancelledException();
    } finally {
      call.abort();
    }
  }

  private StepOutcome drain(LinkedBlockingQueue<StreamEvent> events, StepChunks chunks)
      throws UpstreamFailure, CancelledException, InterruptedException {
    while (true) {
      StreamEvent event = events.poll(settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
      if (event == null) {
        throw UpstreamFailure.timedOut();
      }
      switch (event) {
        case StreamEvent.Text text -> chunks.text(text.delta());
        case StreamEvent.Reasoning reasoning -> chunks.reasoning(reasoning.delta());
        case StreamEvent.ToolStarted tool ->
            chunks.toolStarted(tool.index(), tool.id(), tool.name());
        case StreamEvent.ToolDelta tool ->
            chunks.toolDelta(tool.index(), tool.id(), tool.name(), tool.argumentsDelta());
        case StreamEvent.ToolCompleted tool ->
            chunks.toolCompleted(tool.index(), tool.id(), tool.name(), tool.arguments());
        case StreamEvent.Completed completed -> {
          chunks.close();
          return new StepOutcome(completed.response(), chunks.calls());
        }
        case StreamEvent.Failed failed -> throw UpstreamFailure.from(failed.error(), redactor);
        case StreamEvent.ProviderError error -> throw UpstreamFailure.providerError(error.type());
        case StreamEvent.Closed closed -> throw UpstreamFailure.cutShort();
        case StreamEvent.Cancelled cancelled -> throw new CancelledException();
      }
    }
  }

  private Duration backoff(int attempt, UpstreamFailure failure) {
    Duration doubling = settings.retryBackoff().multipliedBy(1L << Math.min(attempt - 1, 20));
    Duration wait = failure.retryAfter().orElse(doubling);
    return wait.compareTo(settings.retryMaxWait()) > 0 ? settings.retryMaxWait() : wait;
  }
}
