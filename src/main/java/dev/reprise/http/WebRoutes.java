package dev.reprise.http;

import dev.reprise.web.WebAssets;
import dev.reprise.web.WebAssets.Asset;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The chat page: {@code /} and {@code /c/{chatId}} answer the page's index, {@code /assets/…} and
 * top-level files the rest of its bundle. Every answer carries a policy that lets the page run only
 * its own scripts and talk only to this server.
 */
final class WebRoutes implements HttpService {
  static final String CONTENT_SECURITY_POLICY =
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
          + " font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none';"
          + " form-action 'self'; frame-ancestors 'none'";
  private static final HeaderName CSP = HeaderNames.create("Content-Security-Policy");
  private static final HeaderName NOSNIFF = HeaderNames.create("X-Content-Type-Options");
  private static final HeaderName FRAME_OPTIONS = HeaderNames.create("X-Frame-Options");
  private static final HeaderName REFERRER = HeaderNames.create("Referrer-Policy");
  private static final String UNBUILT_PAGE =
      """
      <!doctype html>
      <html lang="en"><head><meta charset="utf-8"><title>reprise</title></head>
      <body><h1>reprise is running</h1>
      <p>The API answers under <code>/api</code> (see <a href="/openapi.yaml">/openapi.yaml</a>).</p>
      <p>The chat page was not built: this jar was built without Node.js. Install Node.js 20 or
      newer with npm, then rebuild (<code>./reprise serve</code> rebuilds a stale jar), or run
      <code>npm ci &amp;&amp; npm run build</code> in <code>web/</code> and start the server with
      <code>REPRISE_WEB_DIR=web/dist</code>.</p></body></html>
      """;

  private final WebAssets assets;

  WebRoutes(WebAssets assets) {
    this.assets = assets;
  }

  @Override
  public void routing(HttpRules rules) {
    rules.get("/", this::index).get("/c/{chatId}", this::index).get("/assets/{+name}", this::asset);
  }

  /**
   * The page's top-level files ({@code /favicon.ico}): a route of its own, registered last, since
   * it matches any one-segment path and says nothing about which methods a path is served with.
   */
  static HttpService topLevelFiles(WebAssets assets) {
    return rules -> rules.get("/{name}", new WebRoutes(assets)::topLevelFile);
  }

  private void index(ServerRequest req, ServerResponse res) {
    Optional<Asset> index = assets.find("index.html");
    secure(res);
    // why: the index names the hashed bundle; a cached copy would load yesterday's scripts.
    res.header(HeaderNames.CACHE_CONTROL, "no-cache");
    if (index.isEmpty()) {
      res.header(HeaderNames.CONTENT_TYPE, "text/html; charset=utf-8");
      res.send(UNBUILT_PAGE.getBytes(StandardCharsets.UTF_8));
      return;
    }
    send(res, index.get());
  }

  private void asset(ServerRequest req, ServerResponse res) {
    Optional<Asset> asset = assets.find("assets/" + req.path().pathParameters().get("name"));
    if (asset.isEmpty()) {
      throw ApiException.notFound("Not found");
    }
    secure(res);
    // why: Vite names every asset by its content hash, so a name never changes what it holds.
    res.header(HeaderNames.CACHE_CONTROL, "public, max-age=31536000, immutable");
    send(res, asset.get());
  }

  private void topLevelFile(ServerRequest req, ServerResponse res) {
    String name = req.path().pathParameters().get("name");
    Optional<Asset> file = name.contains(".") ? assets.find(name) : Optional.empty();
    if (file.isEmpty() || name.equals("index.html")) {
      res.next();
      return;
    }
    secure(res);
    res.header(HeaderNames.CACHE_CONTROL, "public, max-age=3600");
    send(res, file.get());
  }

  private static void send(ServerResponse res, Asset asset) {
    res.header(HeaderNames.CONTENT_TYPE, asset.contentType());
    res.send(asset.body());
  }

  private static void secure(ServerResponse res) {
    res.header(CSP, CONTENT_SECURITY_POLICY);
    res.header(NOSNIFF, "nosniff");
    res.header(FRAME_OPTIONS, "DENY");
    res.header(REFERRER, "no-referrer");
  }
}
