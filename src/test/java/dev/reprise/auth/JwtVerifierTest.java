package dev.reprise.auth;

import static dev.reprise.testing.JwksServer.claims;
import static dev.reprise.testing.JwksServer.sign;
import static dev.reprise.testing.JwksServer.signHs256;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import dev.reprise.config.JwtConfig;
import dev.reprise.testing.JwksServer;
import dev.reprise.testing.SettableClock;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class JwtVerifierTest {
  private static final String ISSUER = "https://idp.example.test/";
  private static final String AUDIENCE = "reprise";
  private static final String HS_SECRET = "an-hs256-secret-of-at-least-32-bytes!";
  private static final RSAKey RSA = JwksServer.rsaKey("rsa-1");
  private static final ECKey EC = JwksServer.ecKey("ec-1");

  private static JwksServer jwks;
  private final SettableClock clock = SettableClock.at("2025-01-01T00:00:00Z");

  @BeforeAll
  static void startJwks() {
    jwks = JwksServer.start(RSA.toPublicJWK(), EC.toPublicJWK());
  }

  @AfterAll
  static void stopJwks() {
    jwks.close();
  }

  private static JwtConfig jwksConfig(URI url, JwtConfig.AccountClaim claim) {
    return new JwtConfig(
        Optional.of(url),
        Optional.empty(),
        Optional.of(ISSUER),
        Optional.of(AUDIENCE),
        claim,
        false,
        Duration.ofSeconds(30),
        Duration.ofMinutes(5));
  }

  private JwtVerifier verifier() {
    return new JwtVerifier(jwksConfig(jwks.url(), JwtConfig.AccountClaim.SUB), clock);
  }

  private String token(com.nimbusds.jose.jwk.JWK key, String subject) {
    Instant now = clock.instant();
    return sign(key, claims(ISSUER, AUDIENCE, subject, now, now.plusSeconds(300)).build());
  }

  @Test
  void rs256_and_es256_tokens_from_the_jwks_name_their_subject() {
    JwtVerifier verifier = verifier();

    assertThat(verifier.verify(token(RSA, "alice"))).isEqualTo(new JwtVerifier.Verified("alice"));
    assertThat(verifier.verify(token(EC, "bob"))).isEqualTo(new JwtVerifier.Verified("bob"));
  }

  @Test
  void a_token_signed_by_another_key_with_a_known_kid_is_invalid() {
    RSAKey impostor = JwksServer.rsaKey("rsa-1");

    assertThat(verifier().verify(token(impostor, "alice"))).isInstanceOf(JwtVerifier.Invalid.class);
  }

  @Test
  void a_tampered_payload_is_invalid() {
    String[] parts = token(RSA, "alice").split("\\.");
    String forged =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(
                new String(Base64.getUrlDecoder().decode(parts[1]))
                    .replace("alice", "admin")
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));

    assertThat(verifier().verify(parts[0] + "." + forged + "." + parts[2]))
        .isInstanceOf(JwtVerifier.Invalid.class);
  }

  @Test
  void wrong_issuer_wrong_audience_and_missing_claims_are_invalid() {
    Instant now = clock.instant();
    Instant exp = now.plusSeconds(300);
    JwtVerifier verifier = verifier();

    assertThat(verifier.verify(sign(RSA, claims("https://evil/", AUDIENCE, "a", now, exp).build())))
        .isInstanceOf(JwtVerifier.Invalid.class);
    assertThat(verifier.verify(sign(RSA, claims(ISSUER, "other-app", "a", now, exp).build())))
        .isInstanceOf(JwtVerifier.Invalid.class);
    assertThat(
            verifier.verify(
                sign(RSA, claims(ISSUER, AUDIENCE, "a", now, exp).expirationTime(null).build())))
        .isInstanceOf(JwtVerifier.Invalid.class);
    assertThat(verifier.verify(sign(RSA, claims(ISSUER, AUDIENCE, null, now, exp).build())))
        .isInstanceOf(JwtVerifier.Invalid.class);
  }

  @Test
  void expiry_and_not_before_are_checked_with_the_clock_skew() {
    Instant now = clock.instant();
    JwtVerifier verifier = verifier();
    String expiredWithinSkew =
        sign(
            RSA, claims(ISSUER, AUDIENCE, "a", now.minusSeconds(60), now.minusSeconds(20)).build());
    String expired =
        sign(
            RSA, claims(ISSUER, AUDIENCE, "a", now.minusSeconds(60), now.minusSeconds(30)).build());
    String notYet =
        sign(
            RSA,
            claims(ISSUER, AUDIENCE, "a", now, now.plusSeconds(600))
                .notBeforeTime(java.util.Date.from(now.plusSeconds(31)))
                .build());

    assertThat(verifier.verify(expiredWithinSkew)).isInstanceOf(JwtVerifier.Verified.class);
    assertThat(verifier.verify(expired)).isInstanceOf(JwtVerifier.Invalid.class);
    assertThat(verifier.verify(notYet)).isInstanceOf(JwtVerifier.Invalid.class);
    clock.advance(Duration.ofSeconds(2));
    assertThat(verifier.verify(notYet)).isInstanceOf(JwtVerifier.Verified.class);
  }

  @Test
  void a_token_cannot_choose_hs256_or_none_against_a_jwks() {
    Instant now = clock.instant();
    var body = claims(ISSUER, AUDIENCE, "alice", now, now.plusSeconds(300)).build();
    String hs = signHs256(HS_SECRET, body);
    String none = new com.nimbusds.jwt.PlainJWT(body).serialize(); // "alg":"none", empty signature

    assertThat(verifier().verify(hs)).isInstanceOf(JwtVerifier.Invalid.class);
    assertThat(verifier().verify(none)).isInstanceOf(JwtVerifier.Invalid.class);
    assertThat(verifier().verify("not a jwt")).isInstanceOf(JwtVerifier.Invalid.class);
  }

  @Test
  void keys_are_fetched_once_and_fetched_again_for_an_unknown_kid_after_a_rotation() {
    RSAKey first = JwksServer.rsaKey("rot-1");
    RSAKey second = JwksServer.rsaKey("rot-2");
    try (JwksServer idp = JwksServer.start(first.toPublicJWK())) {
      JwtVerifier verifier =
          new JwtVerifier(jwksConfig(idp.url(), JwtConfig.AccountClaim.SUB), clock);
      for (int i = 0; i < 5; i++) {
        assertThat(verifier.verify(token(first, "alice")))
            .isEqualTo(new JwtVerifier.Verified("alice"));
      }
      assertThat(idp.fetches()).isEqualTo(1);

      idp.publish(second.toPublicJWK());

      assertThat(verifier.verify(token(second, "alice")))
          .isEqualTo(new JwtVerifier.Verified("alice"));
      assertThat(idp.fetches()).isEqualTo(2);
      assertThat(verifier.verify(token(second, "alice")))
          .isEqualTo(new JwtVerifier.Verified("alice"));
      assertThat(idp.fetches()).isEqualTo(2);
    }
  }

  @Test
  void an_unreachable_jwks_is_reported_as_unavailable_not_as_invalid() {
    URI nowhere;
    try (JwksServer idp = JwksServer.start(RSA.toPublicJWK())) {
      nowhere = idp.url();
    }
    JwtVerifier verifier = new JwtVerifier(jwksConfig(nowhere, JwtConfig.AccountClaim.SUB), clock);

    assertThat(verifier.verify(token(RSA, "alice")))
        .isInstanceOf(JwtVerifier.KeysUnavailable.class);
  }

  @Test
  void a_shared_hs256_secret_accepts_its_tokens_only() {
    JwtVerifier verifier =
        new JwtVerifier(
            new JwtConfig(
                Optional.empty(),
                Optional.of(HS_SECRET),
                Optional.of(ISSUER),
                Optional.of(AUDIENCE),
                JwtConfig.AccountClaim.SUB,
                false,
                Duration.ZERO,
                Duration.ofMinutes(5)),
            clock);
    Instant now = clock.instant();
    var body = claims(ISSUER, AUDIENCE, "alice", now, now.plusSeconds(60)).build();

    assertThat(verifier.verify(signHs256(HS_SECRET, body)))
        .isEqualTo(new JwtVerifier.Verified("alice"));
    assertThat(verifier.verify(signHs256(HS_SECRET.replace('a', 'b'), body)))
        .isInstanceOf(JwtVerifier.Invalid.class);
    assertThat(verifier.verify(sign(RSA, body))).isInstanceOf(JwtVerifier.Invalid.class);
  }

  @Test
  void the_email_claim_names_the_account_unless_it_is_not_verified() {
    JwtVerifier verifier =
        new JwtVerifier(jwksConfig(jwks.url(), JwtConfig.AccountClaim.EMAIL), clock);
    Instant now = clock.instant();
    Instant exp = now.plusSeconds(60);

    assertThat(
            verifier.verify(
                sign(
                    RSA,
                    claims(ISSUER, AUDIENCE, "s1", now, exp).claim("email", "a@x.test").build())))
        .isEqualTo(new JwtVerifier.Verified("a@x.test"));
    assertThat(
            verifier.verify(
                sign(
                    RSA,
                    claims(ISSUER, AUDIENCE, "s1", now, exp)
                        .claim("email", "a@x.test")
                        .claim("email_verified", false)
                        .build())))
        .isInstanceOf(JwtVerifier.Invalid.class);
    assertThat(verifier.verify(token(RSA, "no-email"))).isInstanceOf(JwtVerifier.Invalid.class);
  }
}
