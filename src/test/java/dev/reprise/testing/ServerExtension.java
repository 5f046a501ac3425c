package dev.reprise.testing;

import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real server for a test class, started before its first test and closed after its last:
 *
 * <pre>
 * {@code @RegisterExtension static final ServerExtension SERVER = ServerExtension.with(Map.of(...));}
 * </pre>
 */
public final class ServerExtension implements BeforeAllCallback, AfterAllCallback {
  private final Supplier<Map<String, String>> env;
  private RunningServer server;

  private ServerExtension(Supplier<Map<String, String>> env) {
    this.env = env;
  }

  /** A server with the test defaults. */
  public static ServerExtension withDefaults() {
    return with(Map.of());
  }

  /** A server whose environment overrides the test defaults. */
  public static ServerExtension with(Map<String, String> env) {
    return new ServerExtension(() -> env);
  }

  /** A server whose environment is known only once the class starts (e.g. another server's URL). */
  public static ServerExtension with(Supplier<Map<String, String>> env) {
    return new ServerExtension(env);
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    server = RunningServer.start(env.get());
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (server != null) {
      server.close();
      server = null;
    }
  }

  public RunningServer server() {
    if (server == null) {
      throw new IllegalStateException("the server starts before the class's first test");
    }
    return server;
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
