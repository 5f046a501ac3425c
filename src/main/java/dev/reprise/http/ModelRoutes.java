package dev.reprise.http;

import dev.reprise.model.ModelRegistry;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.List;

/** GET /api/models: the model ids a chat or run may name, and the default one. */
final class ModelRoutes implements HttpService {
  private final Authenticator auth;
  private final HttpJson http;
  private final ModelRegistry models;

  ModelRoutes(Authenticator auth, HttpJson http, ModelRegistry models) {
    this.auth = auth;
    this.http = http;
    this.models = models;
  }

  record ModelInfo(String id, boolean isDefault) {}

  record ModelList(List<ModelInfo> models, String defaultModel) {}

  @Override
  public void routing(HttpRules rules) {
    rules.get("/api/models", this::list).head("/api/models", this::list);
  }

  private void list(ServerRequest req, ServerResponse res) {
    auth.authenticate(req);
    List<ModelInfo> infos =
        models.ids().stream()
            .map(id -> new ModelInfo(id, id.equals(models.defaultModel())))
            .toList();
    http.send(res, 200, new ModelList(infos, models.defaultModel()));
  }
}
