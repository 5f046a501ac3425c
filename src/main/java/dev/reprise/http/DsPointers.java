package dev.reprise.http;

import dev.reprise.durable.Capabilities;
import dev.reprise.durable.Capability;
import dev.reprise.run.Run;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Clock;
import java.time.Duration;

/**
 * Chat runs for Durable Streams clients ({@code @durable-streams/aisdk-transport}): a chat request
 * that asks for it gets a pointer to the run's stream instead of the stream, a read-only capability
 * URL, because that client reads the stream without the request's headers.
 */
final class DsPointers {
  /** The header (value {@code durable-streams}) by which a chat request asks for a pointer. */
  static final HeaderName ASK = HeaderNames.create("x-reprise-transport");

  private static final String ASKED = "durable-streams";

  private final Capabilities capabilities;
  private final Clock clock;
  private final Duration lifetime;

  DsPointers(Capabilities capabilities, Clock clock, Duration lifetime) {
    this.capabilities = capabilities;
    this.clock = clock;
    this.lifetime = lifetime;
  }

  static boolean asked(ServerRequest req) {
    return req.headers().first(ASK).map(v -> v.trim().equalsIgnoreCase(ASKED)).orElse(false);
  }

  /** The body that goes with the pointer. */
  record Pointer(String streamUrl, String runId, String chatId) {}

  /** Answers with {@code status}, the run's stream URL in {@code Location} and the body. */
  void point(HttpJson http, ServerResponse res, int status, Run run) {
    Capability read =
        new Capability(
            run.accountId(), Capability.Scope.READ, clock.instant().plus(lifetime), run.id());
    String url = DsRoutes.PREFIX + "/cap/" + capabilities.mint(read) + "/v1/runs/" + run.id();
    res.header(HeaderNames.LOCATION, url);
    res.header(HeaderNames.CACHE_CONTROL, "no-store");
    http.send(res, status, new Pointer(url, run.id(), run.chatId()));
  }
}
