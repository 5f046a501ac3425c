package dev.reprise.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reprise.testing.RunningServer;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The chat page's files, served from a bundle directory, and the page shown when there is none. */
class WebPageTest {
  private static final OpenApiContract CONTRACT = OpenApiContract.load();
  private static final String CHAT = "/c/11e3779c-c46d-425f-bf47-a1b0e67f05d2";

  @TempDir Path bundle;

  private RunningServer serve(Path dir) {
    return RunningServer.start(Map.of("REPRISE_WEB_DIR", dir.toString()));
  }

  private void writeBundle() throws Exception {
    Files.createDirectories(bundle.resolve("assets"));
    Files.writeString(bundle.resolve("index.html"), "<!doctype html><title>chat page</title>");
    Files.writeString(bundle.resolve("assets/index-3f2a9c1d.js"), "console.log('page')");
    Files.writeString(bundle.resolve("favicon.svg"), "<svg xmlns='http://www.w3.org/2000/svg'/>");
    Files.writeString(bundle.getParent().resolve("secret.txt"), "outside the bundle");
  }

  @Test
  void the_page_is_served_at_the_root_and_for_each_chat_with_a_strict_policy() throws Exception {
    writeBundle();
    try (RunningServer server = serve(bundle)) {
      for (String path : new String[] {"/", CHAT}) {
        HttpResponse<String> res = server.client().get(path);
        CONTRACT.check("GET", path.equals("/") ? "/" : "/c/{chatId}", res);
        assertThat(res.body()).contains("<title>chat page</title>");
        assertThat(res.headers().firstValue("content-security-policy").orElseThrow())
            .contains("script-src 'self'", "connect-src 'self'", "frame-ancestors 'none'")
            .doesNotContain("unsafe-inline", "unsafe-eval", "http:", "https:");
        assertThat(res.headers().firstValue("x-content-type-options")).hasValue("nosniff");
        assertThat(res.headers().firstValue("cache-control")).hasValue("no-cache");
      }
    }
  }

  @Test
  void bundle_files_have_their_type_and_hashed_assets_are_cached_for_good() throws Exception {
    writeBundle();
    try (RunningServer server = serve(bundle)) {
      HttpResponse<String> script = server.client().get("/assets/index-3f2a9c1d.js");
      CONTRACT.check("GET", "/assets/{file}", script);
      assertThat(script.body()).isEqualTo("console.log('page')");
      assertThat(script.headers().firstValue("content-type").orElseThrow())
          .startsWith("text/javascript");
      assertThat(script.headers().firstValue("cache-control").orElseThrow()).contains("immutable");
      HttpResponse<String> icon = server.client().get("/favicon.svg");
      assertThat(icon.statusCode()).isEqualTo(200);
      assertThat(icon.headers().firstValue("content-type")).hasValue("image/svg+xml");
    }
  }

  @Test
  void nothing_outside_the_bundle_or_of_an_unknown_type_is_served() throws Exception {
    writeBundle();
    Files.writeString(bundle.resolve("assets/notes.sh"), "echo hi");
    try (RunningServer server = serve(bundle)) {
      for (String path :
          new String[] {
            "/assets/nope.js", "/assets/notes.sh", "/assets/%2e%2e/secret.txt", "/secret.txt"
          }) {
        HttpResponse<String> res = server.client().get(path);
        assertThat(res.statusCode()).as(path).isEqualTo(404);
        assertThat(res.body()).as(path).doesNotContain("outside the bundle", "echo hi");
      }
      CONTRACT.check("GET", "/assets/{file}", server.client().get("/assets/nope.js"));
    }
  }

  @Test
  void without_a_built_page_the_root_says_how_to_build_it_and_the_api_still_works()
      throws Exception {
    try (RunningServer server = serve(bundle)) {
      HttpResponse<String> res = server.client().get("/");
      CONTRACT.check("GET", "/", res);
      assertThat(res.body()).contains("Node.js 20", "npm run build");
      assertThat(server.client().get("/health").statusCode()).isEqualTo(200);
      String key = server.newKey("web");
      assertThat(server.client().get("/api/models", "x-api-key", key).statusCode()).isEqualTo(200);
    }
  }
}
