package dev.reprise.http;

import dev.reprise.auth.Principal;
import dev.reprise.durable.Capabilities;
import dev.reprise.durable.Capability;
import dev.reprise.durable.Capability.Scope;
import dev.reprise.durable.DsException;
import io.helidon.webserver.http.ServerRequest;
import java.util.Map;

/**
 * Who a Durable Streams request acts for, and what it may do: an account's credentials (the usual
 * {@code x-api-key} or Bearer) may do anything to the account's streams; a capability URL ({@code
 * /ds/cap/{token}/...}) only what its token grants, until it expires.
 *
 * @param runId the one run a run capability reads, or null
 */
record DsAccess(String accountId, Scope scope, String runId) {

  static DsAccess of(Principal principal) {
    return new DsAccess(principal.accountId(), Scope.MANAGE, null);
  }

  static DsAccess of(Capabilities capabilities, String token) {
    Capability capability =
        capabilities
            .verify(token)
            .orElseThrow(
                () ->
                    new DsException(401, "the capability URL is invalid or has expired", Map.of()));
    return new DsAccess(capability.accountId(), capability.scope(), capability.runId());
  }

  static DsAccess authenticate(Authenticator auth, ServerRequest req) {
    return of(auth.authenticate(req));
  }

  /** Refuses what the scope does not allow, and any account stream to a run capability. */
  DsAccess require(Scope needed) {
    if (runId != null || !scope.allows(needed)) {
      throw new DsException(403, "this capability does not allow that", Map.of());
    }
    return this;
  }
}
