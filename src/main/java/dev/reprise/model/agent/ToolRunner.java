package dev.reprise.model.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.reprise.model.Cancellation;
import dev.reprise.model.CancelledException;
import dev.reprise.model.ChunkSink;
import dev.reprise.model.tools.Tool;
import dev.reprise.model.tools.ToolException;
import dev.reprise.model.tools.Toolbox;
import dev.reprise.protocol.UiChunk;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a step's tool calls in parallel. Outputs are emitted in call order, not completion order, so
 * that the stream is the same every time. A failing tool becomes an error result the model reads on
 * its next call; only a stop ends the loop.
 */
final class ToolRunner {
  private static final Logger LOG = LoggerFactory.getLogger(ToolRunner.class);

  private final Toolbox toolbox;
  private final Duration timeout;
  private final Tracer tracer;

  ToolRunner(Toolbox toolbox, Duration timeout, OpenTelemetry openTelemetry) {
    this.toolbox = toolbox;
    this.timeout = timeout;
    this.tracer = openTelemetry.getTracer("dev.reprise.tools");
  }

  private sealed interface Result {
    record Output(JsonNode value) implements Result {}

    record Failure(String message) implements Result {}
  }

  /** A call that ran: its output, or why it failed. */
  record Settled(ToolCall call, Optional<JsonNode> output, Optional<String> error) {

    /** The result as the next model call reads it. */
    ToolExecutionResultMessage message() {
      if (output.isPresent()) {
        JsonNode value = output.get();
        return ToolExecutionResultMessage.from(
            call.id(), call.name(), value.isTextual() ? value.asText() : value.toString());
      }
      return ToolExecutionResultMessage.builder()
          .id(call.id())
          .toolName(call.name())
          .text("Error: " + error.orElse(""))
          .isError(true)
          .build();
    }
  }

  List<Settled> run(List<ToolCall> calls, ChunkSink sink, Cancellation cancellation)
      throws CancelledException {
    ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
    try {
      List<Future<Result>> futures = new ArrayList<>();
      for (ToolCall call : calls) {
        futures.add(submit(pool, call));
      }
      cancellation.onCancel(() -> futures.forEach(f -> f.cancel(true)));
      long deadline = System.nanoTime() + timeout.toNanos();
      List<Settled> results = new ArrayList<>();
      for (int i = 0; i < calls.size(); i++) {
        ToolCall call = calls.get(i);
        Result result = await(futures.get(i), deadline, cancellation, call);
        cancellation.check();
        results.add(emit(call, result, sink));
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }

  private Future<Result> submit(ExecutorService pool, ToolCall call) {
    if (call.inputError().isPresent()) {
      return CompletableFuture.completedFuture(new Result.Failure(call.inputError().get()));
    }
    Tool tool = toolbox.find(call.name()).orElse(null);
    if (tool == null) {
      return CompletableFuture.completedFuture(
          new Result.Failure("There is no tool named '" + call.name() + "'."));
    }
    Context parent = Context.current();
    return pool.submit(() -> traced(parent, tool, call));
  }

  /** Runs the tool in its own span, a child of the step's. */
  private Result traced(Context parent, Tool tool, ToolCall call) throws InterruptedException {
    Span span =
        tracer
            .spanBuilder("execute_tool " + tool.name())
            .setParent(parent)
            .setAttribute("gen_ai.tool.name", tool.name())
            .setAttribute("gen_ai.tool.call.id", call.id())
            .startSpan();
    try (Scope scope = span.makeCurrent()) {
      Result result = invoke(tool, call.input());
      if (result instanceof Result.Failure failure) {
        span.setStatus(StatusCode.ERROR, failure.message());
      }
      return result;
    } finally {
      span.end();
    }
  }

  private static Result invoke(Tool tool, JsonNode input) throws InterruptedException {
    try {
      JsonNode output = tool.call(input);
      return new Result.Output(output == null ? NullNode.getInstance() : output);
    } catch (ToolException e) {
      return new Result.Failure(e.getMessage());
    } catch (RuntimeException e) {
      LOG.warn("tool {} failed", tool.name(), e);
      return new Result.Failure("The tool failed.");
    }
  }

  private Result await(
      Future<Result> future, long deadline, Cancellation cancellation, ToolCall call)
      throws CancelledException {
    try {
      return future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      return new Result.Failure("The tool did not finish within " + timeout.toSeconds() + " s.");
    } catch (CancellationException | InterruptedException e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new CancelledException();
    } catch (ExecutionException e) {
      cancellation.check();
      LOG.warn("tool {} failed", call.name(), e.getCause());
      return new Result.Failure("The tool failed.");
    }
  }

  private static Settled emit(ToolCall call, Result result, ChunkSink sink) {
    return switch (result) {
      case Result.Output output -> {
        sink.emit(new UiChunk.ToolOutputAvailable(call.id(), output.value()));
        yield new Settled(call, Optional.of(output.value()), Optional.empty());
      }
      case Result.Failure failure -> {
        if (call.inputError().isEmpty()) {
          sink.emit(new UiChunk.ToolOutputError(call.id(), failure.message()));
        }
        yield new Settled(call, Optional.empty(), Optional.of(failure.message()));
      }
    };
  }
}
