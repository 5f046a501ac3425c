package dev.reprise.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.source.ImmutableSecret;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.jwt.proc.JWTClaimsSetVerifier;
import dev.reprise.config.JwtConfig;
import java.net.MalformedURLException;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies bearer JWTs with nimbus-jose-jwt: the signature against the identity provider's JWKS
 * (RS256 or ES256; keys cached, fetched again when a token names an unknown key id, so a key
 * rotation needs no restart) or a shared HS256 secret, then issuer, audience, expiry and not-before
 * with the configured clock skew. Only the expected algorithms are accepted, so a token cannot pick
 * its own (no {@code none}, no HS256 signed with a public key).
 */
public final class JwtVerifier {
  private static final Logger LOG = LoggerFactory.getLogger(JwtVerifier.class);
  private static final int MAX_TOKEN_LENGTH = 16 * 1024;
  private static final int MAX_ACCOUNT_NAME = 200;
  private static final int JWKS_TIMEOUT_MS = 3_000;
  private static final int JWKS_SIZE_LIMIT = 256 * 1024;

  private final JwtConfig config;
  private final Clock clock;
  private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();

  /** What verifying a token came to. */
  public sealed interface Outcome {}

  /** The token is good; {@code accountName} is the value of the account claim. */
  public record Verified(String accountName) implements Outcome {}

  /** The token is not acceptable; {@code reason} is for logs, not for the client. */
  public record Invalid(String reason) implements Outcome {}

  /** The identity provider's keys could not be fetched: nothing can be said about the token. */
  public record KeysUnavailable(String reason) implements Outcome {}

  public JwtVerifier(JwtConfig config, Clock clock) {
    if (!config.enabled()) {
      throw new IllegalArgumentException("JWTs are not configured");
    }
    this.config = config;
    this.clock = clock;
    processor.setJWSTypeVerifier(
        new DefaultJOSEObjectTypeVerifier<>(
            JOSEObjectType.JWT, new JOSEObjectType("at+jwt"), null));
    processor.setJWSKeySelector(keySelector(config));
    processor.setJWTClaimsSetVerifier(new ClaimsCheck());
  }

  private static JWSVerificationKeySelector<SecurityContext> keySelector(JwtConfig config) {
    if (config.hs256Secret().isPresent()) {
      byte[] secret = config.hs256Secret().get().getBytes(StandardCharsets.UTF_8);
      return new JWSVerificationKeySelector<>(JWSAlgorithm.HS256, new ImmutableSecret<>(secret));
    }
    JWKSource<SecurityContext> keys;
    try {
      long ttl = config.jwksCacheTtl().toMillis();
      keys =
          JWKSourceBuilder.<SecurityContext>create(
                  config.jwksUrl().orElseThrow().toURL(),
                  new DefaultResourceRetriever(JWKS_TIMEOUT_MS, JWKS_TIMEOUT_MS, JWKS_SIZE_LIMIT))
              .cache(ttl, JWKS_TIMEOUT_MS * 2L)
              .build();
    } catch (MalformedURLException e) {
      throw new IllegalArgumentException("REPRISE_JWT_JWKS_URL is not a URL", e);
    }
    return new JWSVerificationKeySelector<>(Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256), keys);
  }

  /** Whether {@code token} looks like a compact JWS (three base64url parts). */
  public static boolean looksLikeJwt(String token) {
    return token.length() <= MAX_TOKEN_LENGTH
        && token.matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*");
  }

  public Outcome verify(String token) {
    if (!looksLikeJwt(token)) {
      return new Invalid("not a compact JWS");
    }
    try {
      JWTClaimsSet claims = processor.process(token, null);
      return new Verified(claims.getStringClaim(config.accountClaim().claim()));
    } catch (KeySourceException e) {
      LOG.warn("cannot fetch the JWKS to verify a token: {}", e.getMessage());
      return new KeysUnavailable(e.getMessage());
    } catch (ParseException | BadJOSEException | JOSEException e) {
      LOG.debug("bearer JWT refused: {}", e.getMessage());
      return new Invalid(String.valueOf(e.getMessage()));
    }
  }

  /** Issuer, audience, expiry, not-before and the account claim, on the injected clock. */
  private final class ClaimsCheck implements JWTClaimsSetVerifier<SecurityContext> {
    @Override
    public void verify(JWTClaimsSet claims, SecurityContext context) throws BadJWTException {
      Instant now = clock.instant();
      long skew = config.clockSkew().toMillis();
      Date exp = claims.getExpirationTime();
      if (exp == null) {
        throw new BadJWTException("missing exp");
      }
      if (!now.isBefore(exp.toInstant().plusMillis(skew))) {
        throw new BadJWTException("expired");
      }
      Date nbf = claims.getNotBeforeTime();
      if (nbf != null && now.plusMillis(skew).isBefore(nbf.toInstant())) {
        throw new BadJWTException("not yet valid");
      }
      Date iat = claims.getIssueTime();
      if (iat != null && now.plusMillis(skew).isBefore(iat.toInstant())) {
        throw new BadJWTException("issued in the future");
      }
      if (!config.issuer().orElseThrow().equals(claims.getIssuer())) {
        throw new BadJWTException("wrong issuer");
      }
      if (claims.getAudience() == null
          || !claims.getAudience().contains(config.audience().orElseThrow())) {
        throw new BadJWTException("wrong audience");
      }
      String name = accountName(claims);
      if (name == null || name.isBlank() || name.length() > MAX_ACCOUNT_NAME) {
        throw new BadJWTException("missing or unusable " + config.accountClaim().claim());
      }
      if (config.accountClaim() == JwtConfig.AccountClaim.EMAIL
          && Boolean.FALSE.equals(booleanClaim(claims, "email_verified"))) {
        throw new BadJWTException("email not verified");
      }
    }

    private String accountName(JWTClaimsSet claims) throws BadJWTException {
      try {
        return claims.getStringClaim(config.accountClaim().claim());
      } catch (ParseException e) {
        throw new BadJWTException(config.accountClaim().claim() + " is not a string");
      }
    }

    private static Boolean booleanClaim(JWTClaimsSet claims, String name) throws BadJWTException {
      try {
        return claims.getBooleanClaim(name);
      } catch (ParseException e) {
        throw new BadJWTException(name + " is not a boolean");
      }
    }
  }
}
