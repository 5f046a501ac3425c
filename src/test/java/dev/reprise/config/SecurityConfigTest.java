package dev.reprise.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reprise.app.Security;
import dev.reprise.run.RunQuota;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The REPRISE_JWT_*, REPRISE_LIMIT_* and previous-secret variables, checked at start-up. */
class SecurityConfigTest {
  private static final String SECRET = "a-server-secret-of-32-characters!";

  private static RepriseConfig config(String... pairs) {
    Map<String, String> env = new HashMap<>();
    for (int i = 0; i + 1 < pairs.length; i += 2) {
      env.put(pairs[i], pairs[i + 1]);
    }
    return RepriseConfig.fromEnvironment(env);
  }

  private static void refused(String variable, String... pairs) {
    assertThatThrownBy(() -> config(pairs))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(variable);
  }

  @Test
  void jwts_are_off_and_limits_have_defaults_unless_configured() {
    RepriseConfig config = config();

    assertThat(config.jwt().enabled()).isFalse();
    assertThat(config.limits()).isEqualTo(LimitsConfig.defaults());
    assertThat(config.previousServerSecrets()).isEmpty();
  }

  @Test
  void a_jwks_setup_is_read_whole() {
    RepriseConfig config =
        config(
            "REPRISE_JWT_JWKS_URL", "https://idp.example/.well-known/jwks.json",
            "REPRISE_JWT_ISSUER", "https://idp.example/",
            "REPRISE_JWT_AUDIENCE", "reprise",
            "REPRISE_JWT_ACCOUNT_CLAIM", "Email",
            "REPRISE_JWT_CREATE_ACCOUNTS", "yes",
            "REPRISE_JWT_CLOCK_SKEW", "30s",
            "REPRISE_JWT_JWKS_CACHE", "10m");

    JwtConfig jwt = config.jwt();
    assertThat(jwt.enabled()).isTrue();
    assertThat(jwt.accountClaim()).isEqualTo(JwtConfig.AccountClaim.EMAIL);
    assertThat(jwt.createAccounts()).isTrue();
    assertThat(jwt.clockSkew()).isEqualTo(Duration.ofSeconds(30));
    assertThat(jwt.jwksCacheTtl()).isEqualTo(Duration.ofMinutes(10));
  }

  @Test
  void a_bad_jwt_setup_names_the_variable() {
    refused("REPRISE_JWT_ISSUER", "REPRISE_JWT_HS256_SECRET", "x".repeat(32));
    refused(
        "REPRISE_JWT_AUDIENCE",
        "REPRISE_JWT_HS256_SECRET",
        "x".repeat(32),
        "REPRISE_JWT_ISSUER",
        "i");
    refused("REPRISE_JWT_HS256_SECRET", "REPRISE_JWT_HS256_SECRET", "short");
    refused(
        "REPRISE_JWT_JWKS_URL",
        "REPRISE_JWT_JWKS_URL",
        "https://idp/jwks",
        "REPRISE_JWT_HS256_SECRET",
        "x".repeat(32));
    refused("REPRISE_JWT_JWKS_URL", "REPRISE_JWT_JWKS_URL", "http://idp.example/jwks");
    refused("REPRISE_JWT_JWKS_URL", "REPRISE_JWT_JWKS_URL", "file:///etc/passwd");
    refused("REPRISE_JWT_JWKS_URL", "REPRISE_JWT_JWKS_URL", "not a url");
    refused("REPRISE_JWT_ACCOUNT_CLAIM", "REPRISE_JWT_ACCOUNT_CLAIM", "name");
    refused("REPRISE_JWT_CREATE_ACCOUNTS", "REPRISE_JWT_CREATE_ACCOUNTS", "maybe");
    refused("REPRISE_JWT_CLOCK_SKEW", "REPRISE_JWT_CLOCK_SKEW", "1h");
  }

  @Test
  void plain_http_is_allowed_for_a_jwks_on_loopback_only() {
    RepriseConfig config =
        config(
            "REPRISE_JWT_JWKS_URL", "http://127.0.0.1:9000/jwks.json",
            "REPRISE_JWT_ISSUER", "i",
            "REPRISE_JWT_AUDIENCE", "a");

    assertThat(config.jwt().jwksUrl()).isPresent();
  }

  @Test
  void limits_are_read_and_checked() {
    RepriseConfig config =
        config(
            "REPRISE_LIMIT_LIVE_RUNS", "3",
            "REPRISE_LIMIT_RUNS_PER_MINUTE", "10",
            "REPRISE_LIMIT_MESSAGES", "50",
            "REPRISE_LIMIT_MESSAGE_BYTES", "4096",
            "REPRISE_LIMIT_STREAM_READERS", "4",
            "REPRISE_STREAM_WRITE_TIMEOUT", "10s");

    assertThat(config.limits())
        .isEqualTo(new LimitsConfig(3, 10, 50, 4096, 4, Duration.ofSeconds(10)));
    refused("REPRISE_LIMIT_LIVE_RUNS", "REPRISE_LIMIT_LIVE_RUNS", "0");
    refused("REPRISE_LIMIT_RUNS_PER_MINUTE", "REPRISE_LIMIT_RUNS_PER_MINUTE", "many");
    refused("REPRISE_LIMIT_MESSAGES", "REPRISE_LIMIT_MESSAGES", "-1");
    refused("REPRISE_LIMIT_MESSAGE_BYTES", "REPRISE_LIMIT_MESSAGE_BYTES", "10");
    refused("REPRISE_LIMIT_STREAM_READERS", "REPRISE_LIMIT_STREAM_READERS", "0");
    refused("REPRISE_STREAM_WRITE_TIMEOUT", "REPRISE_STREAM_WRITE_TIMEOUT", "10ms");
  }

  @Test
  void the_account_limits_can_be_off() {
    RepriseConfig config =
        config(
            "REPRISE_LIMIT_LIVE_RUNS", "off",
            "REPRISE_LIMIT_RUNS_PER_MINUTE", "OFF",
            "REPRISE_LIMIT_STREAM_READERS", "off");

    assertThat(config.limits().liveRuns()).isEqualTo(LimitsConfig.OFF);
    assertThat(config.limits().runsPerMinute()).isEqualTo(LimitsConfig.OFF);
    assertThat(config.limits().streamReaders()).isEqualTo(LimitsConfig.OFF);
    assertThat(Security.runQuota(config)).isEqualTo(RunQuota.unlimited());
    refused("off or a whole number of at least 1", "REPRISE_LIMIT_LIVE_RUNS", "none");
  }

  @Test
  void previous_server_secrets_need_a_current_one_and_their_length() {
    RepriseConfig config =
        config(
            "REPRISE_SERVER_SECRET",
            SECRET,
            "REPRISE_SERVER_SECRET_PREVIOUS",
            "b".repeat(32) + ", " + "c".repeat(40));

    assertThat(config.previousServerSecrets()).containsExactly("b".repeat(32), "c".repeat(40));
    refused("REPRISE_SERVER_SECRET_PREVIOUS", "REPRISE_SERVER_SECRET_PREVIOUS", "b".repeat(32));
    refused(
        "REPRISE_SERVER_SECRET_PREVIOUS",
        "REPRISE_SERVER_SECRET",
        SECRET,
        "REPRISE_SERVER_SECRET_PREVIOUS",
        "short");
  }
}
