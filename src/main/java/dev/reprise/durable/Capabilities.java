package dev.reprise.durable;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Capability tokens: what {@link Capability} grants, signed with a key derived from the server
 * secret, so that any node verifies them without a lookup. A token is only good until it expires;
 * rotating the server secret revokes every token at once.
 */
public final class Capabilities {
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
  private static final String VERSION = "c1";

  private final byte[] key;
  private final Clock clock;

  public Capabilities(byte[] key, Clock clock) {
    this.key = key.clone();
    this.clock = clock;
  }

  public String mint(Capability capability) {
    String claims =
        String.join(
            "|",
            VERSION,
            capability.accountId(),
            capability.scope().wire(),
            Long.toString(capability.expiresAt().getEpochSecond()),
            capability.runId() == null ? "" : capability.runId());
    byte[] payload = claims.getBytes(StandardCharsets.UTF_8);
    return ENCODER.encodeToString(payload) + "." + ENCODER.encodeToString(sign(payload));
  }

  /** What the token grants, or empty when it is forged, malformed or expired. */
  public Optional<Capability> verify(String token) {
    int dot = token.indexOf('.');
    if (dot < 1 || dot == token.length() - 1 || token.length() > 1024) {
      return Optional.empty();
    }
    byte[] payload;
    byte[] signature;
    try {
      payload = DECODER.decode(token.substring(0, dot));
      signature = DECODER.decode(token.substring(dot + 1));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    if (!MessageDigest.isEqual(sign(payload), signature)) {
      return Optional.empty();
    }
    String[] claims = new String(payload, StandardCharsets.UTF_8).split("\\|", -1);
    if (claims.length != 5 || !claims[0].equals(VERSION)) {
      return Optional.empty();
    }
    Instant expiresAt = Instant.ofEpochSecond(Long.parseLong(claims[3]));
    if (!clock.instant().isBefore(expiresAt)) {
      return Optional.empty();
    }
    return Optional.of(
        new Capability(
            claims[1],
            Capability.Scope.parse(claims[2]),
            expiresAt,
            claims[4].isEmpty() ? null : claims[4]));
  }

  private byte[] sign(byte[] payload) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(payload);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }
}
