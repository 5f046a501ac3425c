package dev.reprise.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An identity provider's JWKS endpoint on loopback (the JDK's HTTP server), serving the public
 * halves of keys generated in the test, plus helpers to mint tokens with them.
 */
public final class JwksServer implements AutoCloseable {
  private final HttpServer server;
  private final AtomicInteger fetches = new AtomicInteger();
  private volatile JWKSet published = new JWKSet();

  private JwksServer(HttpServer server) {
    this.server = server;
  }

  /** Starts on a free loopback port, publishing {@code keys} (their public halves). */
  public static JwksServer start(JWK... keys) {
    try {
      HttpServer http =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      JwksServer jwks = new JwksServer(http);
      http.createContext(
          "/.well-known/jwks.json",
          exchange -> {
            jwks.fetches.incrementAndGet();
            byte[] body =
                jwks.published.toString(true).getBytes(StandardCharsets.UTF_8); // public only
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(body);
            }
          });
      http.start();
      jwks.publish(keys);
      return jwks;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Replaces the published key set (a rotation). */
  public void publish(JWK... keys) {
    published = new JWKSet(List.of(keys));
  }

  public URI url() {
    return URI.create(
        "http://127.0.0.1:" + server.getAddress().getPort() + "/.well-known/jwks.json");
  }

  /** How many times the key set was fetched. */
  public int fetches() {
    return fetches.get();
  }

  @Override
  public void close() {
    server.stop(0);
  }

  public static RSAKey rsaKey(String kid) {
    try {
      return new RSAKeyGenerator(2048).keyID(kid).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  public static ECKey ecKey(String kid) {
    try {
      return new ECKeyGenerator(Curve.P_256).keyID(kid).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Claims with the usual fields: issuer, audience, subject, issued now, expiring at {@code exp}.
   */
  public static JWTClaimsSet.Builder claims(
      String issuer, String audience, String subject, Instant now, Instant exp) {
    return new JWTClaimsSet.Builder()
        .issuer(issuer)
        .audience(audience)
        .subject(subject)
        .issueTime(Date.from(now))
        .expirationTime(Date.from(exp));
  }

  /** A compact JWS of {@code claims} signed with {@code key} (RS256 for RSA, ES256 for EC). */
  public static String sign(JWK key, JWTClaimsSet claims) {
    try {
      JWSSigner signer;
      JWSAlgorithm alg;
      if (key instanceof RSAKey rsa) {
        signer = new RSASSASigner(rsa);
        alg = JWSAlgorithm.RS256;
      } else if (key instanceof ECKey ec) {
        signer = new ECDSASigner(ec);
        alg = JWSAlgorithm.ES256;
      } else {
        throw new IllegalArgumentException("unsupported key " + key.getKeyType());
      }
      SignedJWT jwt =
          new SignedJWT(new JWSHeader.Builder(alg).keyID(key.getKeyID()).build(), claims);
      jwt.sign(signer);
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A compact JWS of {@code claims} signed with HS256 under {@code secret}. */
  public static String signHs256(String secret, JWTClaimsSet claims) {
    try {
      SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
      jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }
}
