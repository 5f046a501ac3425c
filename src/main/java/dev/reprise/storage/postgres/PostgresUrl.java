package dev.reprise.storage.postgres;

import dev.reprise.config.ConfigException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * REPRISE_DATABASE_URL: {@code postgres://user:password@host:port/database?schema=name} or a JDBC
 * URL ({@code jdbc:postgresql://…}, where {@code currentSchema} names the schema). The schema
 * defaults to {@code public}.
 */
record PostgresUrl(
    String jdbcUrl, Optional<String> user, Optional<String> password, String schema) {
  private static final Pattern SCHEMA = Pattern.compile("[?&](?:currentSchema|schema)=([^&]+)");

  static PostgresUrl parse(String url) {
    if (url.startsWith("jdbc:postgresql:")) {
      return new PostgresUrl(url, Optional.empty(), Optional.empty(), schemaOf(url));
    }
    if (!url.startsWith("postgres://") && !url.startsWith("postgresql://")) {
      throw new ConfigException(
          "REPRISE_DATABASE_URL must start with postgres://, postgresql:// or jdbc:postgresql://");
    }
    try {
      URI uri = new URI(url);
      if (uri.getHost() == null) {
        throw new ConfigException("REPRISE_DATABASE_URL has no host: " + redact(url));
      }
      String schema = schemaOf(url);
      String database =
          uri.getPath() == null || uri.getPath().length() <= 1
              ? "postgres"
              : uri.getPath().substring(1);
      int port = uri.getPort() < 0 ? 5432 : uri.getPort();
      String jdbc =
          "jdbc:postgresql://"
              + uri.getHost()
              + ":"
              + port
              + "/"
              + database
              + "?currentSchema="
              + schema;
      Optional<String> user = Optional.empty();
      Optional<String> password = Optional.empty();
      if (uri.getRawUserInfo() != null) {
        String[] parts = uri.getRawUserInfo().split(":", 2);
        user = Optional.of(decode(parts[0]));
        password = parts.length > 1 ? Optional.of(decode(parts[1])) : Optional.empty();
      }
      return new PostgresUrl(jdbc, user, password, schema);
    } catch (URISyntaxException e) {
      throw new ConfigException("REPRISE_DATABASE_URL is not a valid URL: " + redact(url));
    }
  }

  private static String schemaOf(String url) {
    Matcher m = SCHEMA.matcher(url);
    String schema = m.find() ? decode(m.group(1)) : "public";
    if (!schema.matches("[A-Za-z_][A-Za-z0-9_]{0,62}")) {
      throw new ConfigException("REPRISE_DATABASE_URL names an invalid schema: " + schema);
    }
    return schema;
  }

  private static String decode(String value) {
    return URLDecoder.decode(value, StandardCharsets.UTF_8);
  }

  /** The URL without its password, for messages. */
  static String redact(String url) {
    return url.replaceAll("://([^:@/]*):[^@/]*@", "://$1:***@");
  }
}
