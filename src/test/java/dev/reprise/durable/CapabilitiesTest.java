package dev.reprise.durable;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reprise.durable.Capability.Scope;
import dev.reprise.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CapabilitiesTest {
  private final SettableClock clock = new SettableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final Capabilities capabilities = new Capabilities(new byte[32], clock);

  @Test
  void a_token_grants_what_it_was_minted_with_until_it_expires() {
    Instant until = clock.instant().plus(Duration.ofMinutes(5));
    String token = capabilities.mint(new Capability("acc", Scope.APPEND, until, null));
    assertThat(capabilities.verify(token))
        .contains(new Capability("acc", Scope.APPEND, until, null));
    clock.advance(Duration.ofMinutes(5));
    assertThat(capabilities.verify(token)).isEmpty();
  }

  @Test
  void a_forged_or_altered_token_grants_nothing() {
    Instant until = clock.instant().plusSeconds(60);
    String token = capabilities.mint(new Capability("acc", Scope.READ, until, "wrun_1"));
    assertThat(new Capabilities(new byte[] {1, 2, 3}, clock).verify(token)).isEmpty();
    String[] parts = token.split("\\.");
    String manage =
        java.util.Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(
                ("c1|acc|manage|" + until.getEpochSecond() + "|")
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertThat(capabilities.verify(manage + "." + parts[1])).isEmpty();
    assertThat(capabilities.verify("garbage")).isEmpty();
    assertThat(capabilities.verify("a.b")).isEmpty();
  }

  @Test
  void scopes_include_the_ones_before_them() {
    assertThat(Scope.MANAGE.allows(Scope.APPEND)).isTrue();
    assertThat(Scope.APPEND.allows(Scope.READ)).isTrue();
    assertThat(Scope.READ.allows(Scope.APPEND)).isFalse();
  }
}
