package dev.reprise.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The chat page's files: the bundle that the build put into the jar under {@code web/}, or a
 * directory (for working on the page without rebuilding the jar). Only plain relative names are
 * looked up, so a request can never reach a file outside the bundle.
 */
public sealed interface WebAssets {
  /** Names the bundle may hold: segments of letters, digits, '.', '_' and '-', no "..". */
  Pattern SAFE_NAME =
      Pattern.compile("(?:[A-Za-z0-9_-][A-Za-z0-9._-]*/)*[A-Za-z0-9_-][A-Za-z0-9._-]*");

  Map<String, String> CONTENT_TYPES =
      Map.ofEntries(
          Map.entry("html", "text/html; charset=utf-8"),
          Map.entry("js", "text/javascript; charset=utf-8"),
          Map.entry("mjs", "text/javascript; charset=utf-8"),
          Map.entry("css", "text/css; charset=utf-8"),
          Map.entry("json", "application/json"),
          Map.entry("map", "application/json"),
          Map.entry("svg", "image/svg+xml"),
          Map.entry("png", "image/png"),
          Map.entry("ico", "image/x-icon"),
          Map.entry("webp", "image/webp"),
          Map.entry("woff2", "font/woff2"),
          Map.entry("txt", "text/plain; charset=utf-8"),
          Map.entry("webmanifest", "application/manifest+json"));

  /** One file of the bundle. */
  record Asset(String name, String contentType, byte[] body) {}

  /** The file with this relative name, if the bundle has it and may serve it. */
  default Optional<Asset> find(String name) {
    if (!SAFE_NAME.matcher(name).matches() || name.contains("..")) {
      return Optional.empty();
    }
    String type = CONTENT_TYPES.get(extension(name));
    if (type == null) {
      return Optional.empty();
    }
    return read(name).map(body -> new Asset(name, type, body));
  }

  /** Whether the page was built: without its index there is nothing to show but how to build it. */
  default boolean built() {
    return read("index.html").isPresent();
  }

  Optional<byte[]> read(String name);

  /** What the start-up log says about where the page comes from. */
  String describe();

  static WebAssets fromClassPath() {
    return new ClassPath();
  }

  static WebAssets fromDirectory(Path root) {
    return new Directory(root.toAbsolutePath().normalize());
  }

  private static String extension(String name) {
    int dot = name.lastIndexOf('.');
    return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
  }

  /**
   * The bundle inside the jar, each file read once: a jar does not change under a running server.
   * Only files found are kept, so requests for made-up names cannot grow the cache.
   */
  final class ClassPath implements WebAssets {
    private final Map<String, byte[]> found = new ConcurrentHashMap<>();

    @Override
    public Optional<byte[]> read(String name) {
      return Optional.ofNullable(found.computeIfAbsent(name, ClassPath::load));
    }

    private static byte[] load(String name) {
      try (InputStream in = WebAssets.class.getResourceAsStream("/web/" + name)) {
        return in == null ? null : in.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public String describe() {
      return "built into the jar";
    }
  }

  /** A directory such as web/dist, read on every request so a rebuild shows at once. */
  record Directory(Path root) implements WebAssets {
    @Override
    public Optional<byte[]> read(String name) {
      Path file = root.resolve(name).normalize();
      if (!file.startsWith(root) || !Files.isRegularFile(file)) {
        return Optional.empty();
      }
      try {
        return Optional.of(Files.readAllBytes(file));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public String describe() {
      return "from " + root;
    }
  }
}
