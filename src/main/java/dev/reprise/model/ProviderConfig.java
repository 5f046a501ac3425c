package dev.reprise.model;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * One configured provider: the {@code provider} part of the model ids {@code provider/model}.
 *
 * @param models model names offered for this provider (without the provider prefix)
 * @param maxOutputTokens cap on each model call's output, if the provider should get one
 * @param thinkingBudget Anthropic only: extended-thinking budget in tokens, 0 for none
 */
public record ProviderConfig(
    String name,
    ProviderKind kind,
    Optional<String> baseUrl,
    Optional<Secret> apiKey,
    List<String> models,
    OptionalInt maxOutputTokens,
    int thinkingBudget) {

  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,39}");

  public ProviderConfig {
    models = List.copyOf(models);
  }

  public static boolean validName(String name) {
    return NAME.matcher(name).matches() && !name.equals(OfflineModel.ID);
  }
}
