package dev.reprise.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reprise.auth.Principal;
import dev.reprise.durable.Capabilities;
import dev.reprise.durable.Capability;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * {@code POST /api/streams/capabilities}: an account mints a capability URL for its Durable
 * Streams, scoped ({@code read}, {@code append} or {@code manage}) and expiring, to hand to a
 * browser, a CDN or a tool that cannot send credentials.
 */
final class CapabilityRoutes implements HttpService {
  static final Duration DEFAULT_LIFETIME = Duration.ofHours(1);

  private final Authenticator auth;
  private final HttpJson http;
  private final Capabilities capabilities;
  private final Clock clock;
  private final Duration maxLifetime;

  CapabilityRoutes(
      Authenticator auth,
      HttpJson http,
      Capabilities capabilities,
      Clock clock,
      Duration maxLifetime) {
    this.auth = auth;
    this.http = http;
    this.capabilities = capabilities;
    this.clock = clock;
    this.maxLifetime = maxLifetime;
  }

  /**
   * The 201 body: the token, the base URL it makes ({@code {url}/v1/stream/{path}}), and its terms.
   */
  record Minted(String token, String url, String scope, Instant expiresAt) {}

  @Override
  public void routing(HttpRules rules) {
    rules.post("/api/streams/capabilities", this::mint);
  }

  private void mint(ServerRequest req, ServerResponse res) {
    Principal caller = auth.authenticate(req);
    ObjectNode body = http.readObjectOrEmpty(req);
    Capability.Scope scope = scope(body.get("scope"));
    Duration lifetime = lifetime(body.get("ttlSeconds"));
    Instant expiresAt = clock.instant().plus(lifetime);
    String token = capabilities.mint(new Capability(caller.accountId(), scope, expiresAt, null));
    http.send(
        res, 201, new Minted(token, DsRoutes.PREFIX + "/cap/" + token, scope.wire(), expiresAt));
  }

  private static Capability.Scope scope(JsonNode node) {
    if (node == null || node.isNull()) {
      return Capability.Scope.READ;
    }
    try {
      return Capability.Scope.parse(node.asText());
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("scope must be read, append or manage", "scope");
    }
  }

  private Duration lifetime(JsonNode node) {
    if (node == null || node.isNull()) {
      return DEFAULT_LIFETIME.compareTo(maxLifetime) < 0 ? DEFAULT_LIFETIME : maxLifetime;
    }
    if (!node.canConvertToLong() || !node.isIntegralNumber() || node.asLong() < 1) {
      throw ApiException.badRequest("ttlSeconds must be a positive whole number", "ttlSeconds");
    }
    Duration asked = Duration.ofSeconds(node.asLong());
    if (asked.compareTo(maxLifetime) > 0) {
      throw ApiException.badRequest(
          "ttlSeconds must be at most " + maxLifetime.toSeconds(), "ttlSeconds");
    }
    return asked;
  }
}
