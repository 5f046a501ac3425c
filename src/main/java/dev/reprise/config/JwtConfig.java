package dev.reprise.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * Bearer JWTs from the deployment's identity provider, verified either against a JWKS URL (RS256,
 * ES256) or a shared HS256 secret. Off unless one of the two is set; then the issuer and audience
 * are required, so that a token minted for another application is never accepted.
 */
public record JwtConfig(
    Optional<URI> jwksUrl,
    Optional<String> hs256Secret,
    Optional<String> issuer,
    Optional<String> audience,
    AccountClaim accountClaim,
    boolean createAccounts,
    Duration clockSkew,
    Duration jwksCacheTtl) {

  public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(60);
  public static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(5);
  public static final Duration DEFAULT_JWKS_CACHE = Duration.ofMinutes(5);

  /** The claim whose value names the caller's account. */
  public enum AccountClaim {
    SUB,
    EMAIL;

    public String claim() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public JwtConfig {
    if (jwksUrl.isPresent() && hs256Secret.isPresent()) {
      throw new ConfigException(
          "REPRISE_JWT_JWKS_URL and REPRISE_JWT_HS256_SECRET are exclusive: set one of them");
    }
    if (hs256Secret.isPresent() && hs256Secret.get().getBytes(StandardCharsets.UTF_8).length < 32) {
      throw new ConfigException("REPRISE_JWT_HS256_SECRET must be at least 32 bytes (256 bits)");
    }
    boolean enabled = jwksUrl.isPresent() || hs256Secret.isPresent();
    if (enabled && issuer.isEmpty()) {
      throw new ConfigException("REPRISE_JWT_ISSUER is required when JWTs are accepted");
    }
    if (enabled && audience.isEmpty()) {
      throw new ConfigException("REPRISE_JWT_AUDIENCE is required when JWTs are accepted");
    }
    if (clockSkew.isNegative() || clockSkew.compareTo(MAX_CLOCK_SKEW) > 0) {
      throw new ConfigException("REPRISE_JWT_CLOCK_SKEW must be between 0s and 5m");
    }
    if (jwksCacheTtl.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new ConfigException("REPRISE_JWT_JWKS_CACHE must be at least 1s");
    }
  }

  /** Whether bearer JWTs are accepted at all. */
  public boolean enabled() {
    return jwksUrl.isPresent() || hs256Secret.isPresent();
  }

  public static JwtConfig disabled() {
    return new JwtConfig(
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        AccountClaim.SUB,
        false,
        DEFAULT_CLOCK_SKEW,
        DEFAULT_JWKS_CACHE);
  }

  static JwtConfig from(Env e) {
    return new JwtConfig(
        e.optional("REPRISE_JWT_JWKS_URL").map(JwtConfig::jwksUri),
        e.optional("REPRISE_JWT_HS256_SECRET"),
        e.optional("REPRISE_JWT_ISSUER"),
        e.optional("REPRISE_JWT_AUDIENCE"),
        e.choice("REPRISE_JWT_ACCOUNT_CLAIM", AccountClaim.class, AccountClaim.SUB),
        e.bool("REPRISE_JWT_CREATE_ACCOUNTS", false),
        e.duration("REPRISE_JWT_CLOCK_SKEW", DEFAULT_CLOCK_SKEW),
        e.duration("REPRISE_JWT_JWKS_CACHE", DEFAULT_JWKS_CACHE));
  }

  /**
   * An https URL, or plain http to a loopback address (a sidecar or a test): keys fetched in clear
   * text over a network could be swapped by anyone on the path.
   */
  private static URI jwksUri(String raw) {
    URI uri;
    try {
      uri = new URI(raw);
    } catch (URISyntaxException e) {
      throw new ConfigException("REPRISE_JWT_JWKS_URL is not a URL, got '" + raw + "'");
    }
    String scheme = String.valueOf(uri.getScheme()).toLowerCase(Locale.ROOT);
    String host = String.valueOf(uri.getHost()).toLowerCase(Locale.ROOT);
    boolean loopback = host.equals("localhost") || host.equals("127.0.0.1") || host.equals("[::1]");
    if (uri.getHost() == null || !(scheme.equals("https") || scheme.equals("http") && loopback)) {
      throw new ConfigException(
          "REPRISE_JWT_JWKS_URL must be an https:// URL (http:// only for localhost), got '"
              + raw
              + "'");
    }
    return uri;
  }
}
