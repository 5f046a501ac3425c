package dev.reprise.model;

import java.util.Objects;

/**
 * A credential. Its {@code toString} never shows the value, so it cannot leak through a log line.
 */
public record Secret(String value) {
  public Secret {
    Objects.requireNonNull(value, "value");
  }

  @Override
  public String toString() {
    return "Secret[***]";
  }
}
