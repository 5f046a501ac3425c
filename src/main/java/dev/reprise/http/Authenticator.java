package dev.reprise.http;

import dev.reprise.auth.ApiKeys;
import dev.reprise.auth.Principal;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.webserver.http.ServerRequest;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves a request's credential: exactly one of {@code x-api-key} or {@code Authorization:
 * Bearer}.
 */
public final class Authenticator {
  static final HeaderName X_API_KEY = HeaderNames.create("x-api-key");
  private static final Pattern BEARER = Pattern.compile("^[Bb]earer +(\\S+)\\s*$");

  private final ApiKeys keys;

  public Authenticator(ApiKeys keys) {
    this.keys = keys;
  }

  public Principal authenticate(ServerRequest req) {
    Headers headers = req.headers();
    List<String> apiKeys = headers.all(X_API_KEY, List::of);
    List<String> authorizations = headers.all(HeaderNames.AUTHORIZATION, List::of);
    if (apiKeys.size() + authorizations.size() != 1) {
      throw ApiException.unauthorized("Exactly one of x-api-key or Authorization must be provided");
    }
    String key;
    if (apiKeys.isEmpty()) {
      Matcher bearer = BEARER.matcher(authorizations.getFirst());
      if (!bearer.matches()) {
        throw ApiException.unauthorized("Authorization header with Bearer token required");
      }
      key = bearer.group(1);
    } else {
      key = apiKeys.getFirst().strip();
    }
    return keys.authenticate(key).orElseThrow(() -> ApiException.unauthorized("Unauthorized"));
  }
}
