package dev.reprise.http;

import java.util.List;

/**
 * A request that reprise refuses, with the status and the message the client gets in the error
 * envelope.
 */
public final class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final transient List<String> missingFields;

  public ApiException(int status, String message, List<String> missingFields) {
    super(message, null, false, false);
    this.status = status;
    this.missingFields = List.copyOf(missingFields);
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

  public List<String> missingFields() {
    return missingFields;
  }
}
