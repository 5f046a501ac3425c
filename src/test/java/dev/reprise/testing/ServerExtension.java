package dev.reprise.testing;

import com.nimbusds.jose.jwk.JWK;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real server for a test class, started before its first test and closed after its last:
 *
 * <pre>
 * {@code @RegisterExtension static final ServerExtension SERVER = ServerExtension.with(Map.of(...));}
 * </pre>
 */
public final class ServerExtension extends ClassFixture<RunningServer> {
  /** What the server needs running: started before it, closed after it. */
  private final List<ClassFixture<?>> needs;

  private ServerExtension(Supplier<Map<String, String>> env, List<ClassFixture<?>> needs) {
    super(() -> RunningServer.start(env.get()));
    this.needs = needs;
  }

  /** A server with the test defaults. */
  public static ServerExtension withDefaults() {
    return with(Map.of());
  }

  /** A server whose environment overrides the test defaults. */
  public static ServerExtension with(Map<String, String> env) {
    return with(() -> env);
  }

  /** A server whose environment is known only once the class starts. */
  public static ServerExtension with(Supplier<Map<String, String>> env) {
    return new ServerExtension(env, List.of());
  }

  /**
   * A server that trusts bearer JWTs from {@code issuer} for {@code audience} signed with {@code
   * key}, whose public half an identity provider's JWKS endpoint serves from before the server
   * starts until after it stops; {@code env} adds to that.
   */
  public static ServerExtension trustingJwts(
      JWK key, String issuer, String audience, Map<String, String> env) {
    ClassFixture<JwksServer> jwks = ClassFixture.of(() -> JwksServer.start(key.toPublicJWK()));
    Supplier<Map<String, String>> all =
        () -> {
          Map<String, String> merged = new HashMap<>(env);
          merged.put("REPRISE_JWT_JWKS_URL", jwks.get().url().toString());
          merged.put("REPRISE_JWT_ISSUER", issuer);
          merged.put("REPRISE_JWT_AUDIENCE", audience);
          return merged;
        };
    return new ServerExtension(all, List.of(jwks));
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    for (ClassFixture<?> need : needs) {
      need.beforeAll(context);
    }
    super.beforeAll(context);
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    try {
      super.afterAll(context);
    } finally {
      for (ClassFixture<?> need : needs.reversed()) {
        need.afterAll(context);
      }
    }
  }

  public RunningServer server() {
    return get();
  }

  public ApiClient client() {
    return server().client();
  }

  public String baseUrl() {
    return server().baseUrl();
  }

  public String newKey(String account) {
    return server().newKey(account);
  }
}
