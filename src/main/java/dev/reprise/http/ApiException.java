package dev.reprise.http;

import java.time.Duration;
import java.util.List;

/**
 * A request that reprise refuses, with the status and the message the client gets in the error
 * envelope.
 */
public final class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final transient List<String> missingFields;
  private final long retryAfterSeconds;

  public ApiException(int status, String message, List<String> missingFields) {
    this(status, message, missingFields, 0);
  }

  private ApiException(int status, String message, List<String> missingFields, long retryAfter) {
    super(message, null, false, false);
    this.status = status;
    this.missingFields = List.copyOf(missingFields);
    this.retryAfterSeconds = retryAfter;
  }

  /** 429, with a Retry-After of at least one second. */
  public static ApiException tooManyRequests(String message, Duration retryAfter) {
    long seconds = Math.max(1, (retryAfter.toMillis() + 999) / 1000);
    return new ApiException(429, message, List.of(), seconds);
  }

  /** 503 (the client may retry shortly). */
  public static ApiException unavailable(String message) {
    return new ApiException(503, message, List.of());
  }

  public static ApiException badRequest(String message, String... fields) {
    return new ApiException(400, message, List.of(fields));
  }

  public static ApiException unauthorized(String message) {
    return new ApiException(401, message, List.of());
  }

  public static ApiException forbidden() {
    return new ApiException(403, "Forbidden", List.of());
  }

  public static ApiException notFound(String message) {
    return new ApiException(404, message, List.of());
  }

  public static ApiException conflict(String message) {
    return new ApiException(409, message, List.of());
  }

  public static ApiException tooLarge(String message) {
    return new ApiException(413, message, List.of());
  }

  public int status() {
    return status;
  }

  /** Seconds for the Retry-After header; 0 when there is none. */
  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }

  public List<String> missingFields() {
    return missingFields;
  }
}
