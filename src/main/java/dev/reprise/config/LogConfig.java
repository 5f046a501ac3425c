package dev.reprise.config;

import java.util.Optional;

/**
 * How the node logs. The format itself is applied by logback.xml, which reads the same variable; it
 * is checked here so that a typo fails the start-up instead of silencing every log line.
 *
 * @param json {@code REPRISE_LOG_FORMAT=json}: one JSON object per line instead of text
 * @param accessLog {@code REPRISE_ACCESS_LOG=true}: one line per HTTP request (logger {@code
 *     dev.reprise.access})
 */
public record LogConfig(boolean json, boolean accessLog) {

  static LogConfig from(Env e) {
    Optional<String> format = e.optional("REPRISE_LOG_FORMAT");
    if (format.isPresent() && !format.get().equals("text") && !format.get().equals("json")) {
      throw new ConfigException(
          "REPRISE_LOG_FORMAT must be text or json (lower case), got '" + format.get() + "'");
    }
    return new LogConfig(
        format.map("json"::equals).orElse(false), e.bool("REPRISE_ACCESS_LOG", false));
  }
}
