package dev.reprise.http;

import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;
import io.helidon.webserver.http.DirectHandlers;

/**
 * Answers the requests Helidon refuses before routing (a malformed request line or header, a header
 * section too large) with the error envelope, like every other error. The message is the status'
 * reason phrase: Helidon's own text may echo the request.
 */
final class EnvelopeDirectHandler implements DirectHandler {
  private final HttpJson http;

  private EnvelopeDirectHandler(HttpJson http) {
    this.http = http;
  }

  static void register(DirectHandlers.Builder handlers, HttpJson http) {
    EnvelopeDirectHandler handler = new EnvelopeDirectHandler(http);
    for (EventType type : EventType.values()) {
      handlers.addHandler(type, handler);
    }
  }

  @Override
  public TransportResponse handle(
      TransportRequest request,
      EventType eventType,
      Status status,
      ServerResponseHeaders headers,
      String message) {
    headers.set(HeaderNames.CONTENT_TYPE, "application/json");
    return TransportResponse.builder()
        .status(status)
        .headers(headers)
        .keepAlive(eventType.keepAlive())
        .entity(http.json().writeBytes(ErrorBody.of(status.reasonPhrase())))
        .build();
  }
}
