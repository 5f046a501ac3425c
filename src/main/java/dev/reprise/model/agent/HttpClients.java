package dev.reprise.model.agent;

import java.net.http.HttpClient;
import java.time.Duration;

/** The one way providers make their shared JDK HTTP client. */
public final class HttpClients {
  private HttpClients() {}

  public static HttpClient create(Duration connectTimeout) {
    return HttpClient.newBuilder()
        .connectTimeout(connectTimeout)
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
  }
}
