package dev.reprise.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The models this server can answer with, by id, and the default one. */
public final class ModelRegistry {
  private final Map<String, ChatModel> models = new LinkedHashMap<>();
  private final String defaultModel;

  public ModelRegistry(List<ChatModel> models, String defaultModel) {
    models.forEach(m -> this.models.put(m.id(), m));
    if (!this.models.containsKey(defaultModel)) {
      throw new IllegalArgumentException(
          "the default model '" + defaultModel + "' is not one of " + this.models.keySet());
    }
    this.defaultModel = defaultModel;
  }

  public Optional<ChatModel> find(String id) {
    return Optional.ofNullable(models.get(id));
  }

  public String defaultModel() {
    return defaultModel;
  }

  public List<String> ids() {
    return List.copyOf(models.keySet());
  }
}
