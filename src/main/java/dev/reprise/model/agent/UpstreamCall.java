package dev.reprise.model.agent;

import dev.langchain4j.exception.TimeoutException;
import dev.langchain4j.http.client.HttpClient;
import dev.langchain4j.http.client.HttpClientBuilder;
import dev.langchain4j.http.client.HttpRequest;
import dev.langchain4j.http.client.SuccessfulHttpResponse;
import dev.langchain4j.http.client.sse.ServerSentEventListener;
import dev.langchain4j.http.client.sse.ServerSentEventParser;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The HTTP transport of one model call, plugged into LangChain4j in place of its JDK client so that
 * the call can be torn down from another thread at any moment: before the response (the exchange is
 * cancelled) or while it streams (the body is closed, which closes the connection, so the provider
 * stops generating). It also reports the end of the body, which LangChain4j's Anthropic client does
 * not, so that a cut stream is noticed at once.
 */
final class UpstreamCall implements HttpClient {
  private static final int MAX_ERROR_BODY = 64 * 1024;
  private static final Executor READERS = task -> Thread.ofVirtual().name("upstream").start(task);

  private final java.net.http.HttpClient http;
  private final Queue<StreamEvent> events;
  private final AtomicBoolean aborted = new AtomicBoolean();
  private final Duration readTimeout;
  private volatile CompletableFuture<?> pending;
  private volatile InputStream body;
  private volatile Thread reader;

  UpstreamCall(java.net.http.HttpClient http, Queue<StreamEvent> events, Duration readTimeout) {
    this.http = http;
    this.events = events;
    this.readTimeout = readTimeout;
  }

  /** Stops the call wherever it is. Safe to call more than once, from any thread. */
  void abort() {
    if (!aborted.compareAndSet(false, true)) {
      return;
    }
    CompletableFuture<?> exchange = pending;
    if (exchange != null) {
      exchange.cancel(true);
    }
    InputStream in = body;
    if (in != null) {
      try {
        in.close();
      } catch (IOException ignored) {
        // why: the connection is being dropped either way.
      }
    }
    Thread thread = reader;
    if (thread != null) {
      thread.interrupt();
    }
  }

  HttpClientBuilder builder() {
    return new HttpClientBuilder() {
      @Override
      public Duration connectTimeout() {
        return http.connectTimeout().orElse(null);
      }

      @Override
      public HttpClientBuilder connectTimeout(Duration timeout) {
        return this;
      }

      @Override
      public Duration readTimeout() {
        return readTimeout;
      }

      @Override
      public HttpClientBuilder readTimeout(Duration timeout) {
        return this;
      }

      @Override
      public HttpClient build() {
        return UpstreamCall.this;
      }
    };
  }

  @Override
  public SuccessfulHttpResponse execute(HttpRequest request) {
    try {
      HttpResponse<byte[]> response = http.send(toJdk(request), BodyHandlers.ofByteArray());
      String text = new String(response.body(), StandardCharsets.UTF_8);
      if (response.statusCode() / 100 != 2) {
        throw new UpstreamHttpException(response.statusCode(), text, retryAfter(response));
      }
      return SuccessfulHttpResponse.builder()
          .statusCode(response.statusCode())
          .headers(response.headers().map())
          .body(text)
          .build();
    } catch (HttpTimeoutException e) {
      throw new TimeoutException(e);
    } catch (IOException e) {
      throw new CompletionException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CompletionException(e);
    }
  }

  @Override
  public void execute(
      HttpRequest request, ServerSentEventParser parser, ServerSentEventListener listener) {
    if (aborted.get()) {
      return;
    }
    CompletableFuture<HttpResponse<InputStream>> exchange =
        http.sendAsync(toJdk(request), BodyHandlers.ofInputStream());
    pending = exchange;
    if (aborted.get()) {
      exchange.cancel(true);
    }
    exchange.whenCompleteAsync(
        (response, error) -> deliver(response, error, parser, listener), READERS);
  }

  private void deliver(
      HttpResponse<InputStream> response,
      Throwable error,
      ServerSentEventParser parser,
      ServerSentEventListener listener) {
    if (error != null) {
      if (!aborted.get()) {
        Throwable cause =
            error instanceof CompletionException c && c.getCause() != null ? c.getCause() : error;
        listener.onError(
            cause instanceof HttpTimeoutException ? new TimeoutException(cause) : cause);
      }
      return;
    }
    reader = Thread.currentThread();
    try (InputStream in = response.body()) {
      body = in;
      if (aborted.get()) {
        return;
      }
      if (response.statusCode() / 100 != 2) {
        String text = new String(in.readNBytes(MAX_ERROR_BODY), StandardCharsets.UTF_8);
        listener.onError(
            new UpstreamHttpException(response.statusCode(), text, retryAfter(response)));
        return;
      }
      listener.onOpen(
          SuccessfulHttpResponse.builder()
              .statusCode(response.statusCode())
              .headers(response.headers().map())
              .build());
      parser.parse(in, listener);
      if (!aborted.get()) {
        listener.onClose();
        events.offer(new StreamEvent.Closed());
      }
    } catch (IOException | RuntimeException e) {
      if (!aborted.get()) {
        listener.onError(e);
      }
    }
  }

  private java.net.http.HttpRequest toJdk(HttpRequest request) {
    if (!request.formDataFields().isEmpty() || !request.formDataFiles().isEmpty()) {
      throw new UnsupportedOperationException("multipart requests are not used by chat models");
    }
    java.net.http.HttpRequest.Builder builder =
        java.net.http.HttpRequest.newBuilder(URI.create(request.url()))
            .method(
                request.method().name(),
                request.body() == null
                    ? BodyPublishers.noBody()
                    : BodyPublishers.ofString(request.body()));
    request.headers().forEach((name, values) -> values.forEach(v -> builder.header(name, v)));
    Duration timeout = readTimeout;
    if (timeout != null) {
      builder.timeout(timeout);
    }
    return builder.build();
  }

  /** OpenAI sends {@code retry-after-ms}; everyone sends {@code retry-after} in seconds. */
  private static Duration retryAfter(HttpResponse<?> response) {
    try {
      var millis = response.headers().firstValue("retry-after-ms");
      if (millis.isPresent()) {
        return Duration.ofMillis(Math.round(Double.parseDouble(millis.get())));
      }
      var seconds = response.headers().firstValue("retry-after");
      if (seconds.isPresent()) {
        return Duration.ofMillis(Math.round(Double.parseDouble(seconds.get()) * 1000));
      }
    } catch (NumberFormatException e) {
      // why: an HTTP-date or junk; fall back to our own backoff.
    }
    return null;
  }
}
