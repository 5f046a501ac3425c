package dev.reprise.run;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Where a run stands. Queued and running are live; the rest are terminal. */
public enum RunStatus {
  QUEUED,
  RUNNING,
  COMPLETED,
  FAILED,
  CANCELLED;

  @JsonValue
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static RunStatus fromWire(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT));
  }

  public boolean isLive() {
    return this == QUEUED || this == RUNNING;
  }
}
