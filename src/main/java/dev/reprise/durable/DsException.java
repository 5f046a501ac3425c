package dev.reprise.durable;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A refusal in the Durable Streams protocol: its status, a message for the error envelope, and the
 * protocol headers that go with it (a closed stream's {@code Stream-Closed}, a producer's expected
 * sequence number).
 */
public final class DsException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int status;
  private final transient Map<String, String> headers;

  public DsException(int status, String message, Map<String, String> headers) {
    super(message, null, false, false);
    this.status = status;
    this.headers = Map.copyOf(new LinkedHashMap<>(headers));
  }

  public static DsException badRequest(String message) {
    return new DsException(400, message, Map.of());
  }

  public static DsException notFound() {
    return new DsException(404, "no such stream", Map.of());
  }

  public static DsException gone() {
    return new DsException(410, "the stream was deleted but still has forks", Map.of());
  }

  public static DsException conflict(String message) {
    return new DsException(409, message, Map.of());
  }

  public int status() {
    return status;
  }

  public Map<String, String> headers() {
    return headers;
  }
}
