package dev.reprise.model.agent;

import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.TimeoutException;
import dev.langchain4j.model.anthropic.internal.api.AnthropicStreamingException;
import dev.reprise.model.Redactor;
import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * Why one upstream call failed, split into what the user may read ({@link #userMessage}, fixed
 * phrases only: a provider's error body can echo the key it rejected) and what goes to the log
 * ({@link #logDetail}, scrubbed).
 */
final class UpstreamFailure extends Exception {
  private static final long serialVersionUID = 1L;
  private static final Set<String> RETRYABLE_TYPES =
      Set.of("overloaded_error", "api_error", "rate_limit_error", "server_error", "timeout_error");

  private final boolean retryable;
  private final String userMessage;
  private final transient Duration retryAfter;

  private UpstreamFailure(
      boolean retryable, String userMessage, String logDetail, Duration retryAfter) {
    super(logDetail, null, false, false);
    this.retryable = retryable;
    this.userMessage = userMessage;
    this.retryAfter = retryAfter;
  }

  boolean retryable() {
    return retryable;
  }

  String userMessage() {
    return userMessage;
  }

  String logDetail() {
    return getMessage();
  }

  Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  static UpstreamFailure from(Throwable error, Redactor redactor) {
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof HttpException http) {
        return http(http, redactor);
      }
      if (t instanceof AnthropicStreamingException stream) {
        return providerError(stream.type());
      }
      if (t instanceof TimeoutException || t instanceof HttpTimeoutException) {
        return timedOut();
      }
      if (t instanceof IOException io) {
        return new UpstreamFailure(
            true,
            "Could not reach the model provider.",
            "connection failed: "
                + io.getClass().getSimpleName()
                + ": "
                + redactor.clean(io.getMessage()),
            null);
      }
    }
    return new UpstreamFailure(
        false,
        "The model provider's answer could not be read.",
        error.getClass().getName() + ": " + redactor.clean(error.getMessage()),
        null);
  }

  static UpstreamFailure providerError(String type) {
    String safeType = type != null && type.matches("[a-z_]{1,40}") ? type : "unknown_error";
    return new UpstreamFailure(
        RETRYABLE_TYPES.contains(safeType),
        "The model provider reported an error (" + safeType + ").",
        "error event in the stream: " + safeType,
        null);
  }

  static UpstreamFailure timedOut() {
    return new UpstreamFailure(
        true, "The model provider did not answer in time.", "timed out", null);
  }

  static UpstreamFailure cutShort() {
    return new UpstreamFailure(
        true,
        "The model provider's stream ended before the answer was complete.",
        "stream ended without a final event",
        null);
  }

  private static UpstreamFailure http(HttpException http, Redactor redactor) {
    int status = http.statusCode();
    boolean retryable = status == 408 || status == 409 || status == 429 || status >= 500;
    String what =
        switch (status) {
          case 400, 413, 422 -> "rejected the request";
          case 401, 403 -> "rejected the credentials";
          case 404 -> "does not know this model";
          case 429 -> "is rate limiting requests";
          default -> status >= 500 ? "had an error" : "refused the request";
        };
    Duration wait =
        http instanceof UpstreamHttpException upstream ? upstream.retryAfter().orElse(null) : null;
    return new UpstreamFailure(
        retryable,
        "The model provider " + what + " (HTTP " + status + ").",
        "HTTP " + status + ": " + redactor.clean(http.getMessage()),
        wait);
  }
}
