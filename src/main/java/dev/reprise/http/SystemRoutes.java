package dev.reprise.http;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.function.Supplier;

/** Unauthenticated endpoints: health and the OpenAPI document. */
final class SystemRoutes implements HttpService {
  private final HttpJson http;
  private final Supplier<Health> health;
  private final byte[] openApi;

  SystemRoutes(HttpJson http, Supplier<Health> health) {
    this.http = http;
    this.health = health;
    this.openApi = resource("/openapi.yaml");
  }

  @Override
  public void routing(HttpRules rules) {
    rules
        .get("/health", this::health)
        .head("/health", this::health)
        .get("/openapi.yaml", this::openApi)
        .head("/openapi.yaml", this::openApi);
  }

  private void health(ServerRequest req, ServerResponse res) {
    Health now = health.get();
    http.send(res, now.ok() ? 200 : 503, now);
  }

  private void openApi(ServerRequest req, ServerResponse res) {
    res.header(HeaderNames.CONTENT_TYPE, "application/yaml");
    HttpJson.sendBytes(res, openApi);
  }

  private static byte[] resource(String name) {
    try (InputStream in = SystemRoutes.class.getResourceAsStream(name)) {
      return in == null ? new byte[0] : in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
