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
    // why: outside routing, Helidon reports a request it cannot parse (a method with a control
    // character, say) as an internal error; the fault is the request's, and the connection closes.
    // A transfer coding other than chunked (501 in Helidon, as RFC 9112 suggests) is answered 400
    // too: every refusal of a request reprise cannot read is the client's error, never a 5xx.
    Status answer =
        eventType == EventType.INTERNAL_ERROR || status == Status.NOT_IMPLEMENTED_501
            ? Status.BAD_REQUEST_400
            : status;
    headers.set(HeaderNames.CONTENT_TYPE, "application/json");
    TransportResponse.Builder response =
        TransportResponse.builder()
            .status(answer)
            .headers(headers)
            .keepAlive(eventType.keepAlive() && answer == status);
    if (!"HEAD".equals(request.method())) {
      response.entity(http.json().writeBytes(ErrorBody.of(answer.reasonPhrase())));
    }
    return response.build();
  }
}
