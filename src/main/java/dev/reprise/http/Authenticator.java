package dev.reprise.http;

import dev.reprise.auth.Authentication;
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
 * Bearer}, the bearer token being an API key or, when configured, a JWT.
 */
public final class Authenticator {
  static final HeaderName X_API_KEY = HeaderNames.create("x-api-key");
  private static final Pattern BEARER = Pattern.compile("^[Bb][Ee][Aa][Rr][Ee][Rr] +(\\S+)\\s*$");

  private final Authentication authentication;

  public Authenticator(Authentication authentication) {
    this.authentication = authentication;
  }

  public Principal authenticate(ServerRequest req) {
    Headers headers = req.headers();
    List<String> apiKeys = headers.all(X_API_KEY, List::of);
    List<String> authorizations = headers.all(HeaderNames.AUTHORIZATION, List::of);
    if (apiKeys.size() + authorizations.size() != 1) {
      throw ApiException.unauthorized("Exactly one of x-api-key or Authorization must be provided");
    }
    Authentication.Credential credential;
    if (apiKeys.isEmpty()) {
      Matcher bearer = BEARER.matcher(authorizations.getFirst());
      if (!bearer.matches()) {
        throw ApiException.unauthorized("Authorization header with Bearer token required");
      }
      credential = new Authentication.BearerToken(bearer.group(1));
    } else {
      credential = new Authentication.ApiKeyHeader(apiKeys.getFirst().strip());
    }
    return switch (authentication.authenticate(credential)) {
      case Authentication.Authenticated(Principal principal) -> principal;
      case Authentication.Refused(String message) -> throw ApiException.unauthorized(message);
      case Authentication.Unavailable(String message) ->
          throw new ApiException(503, message, List.of());
    };
  }
}
