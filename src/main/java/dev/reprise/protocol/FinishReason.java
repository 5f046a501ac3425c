package dev.reprise.protocol;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Why a message ended, in the AI SDK's words. There is deliberately no "unknown": v6+ clients
 * reject it.
 */
public enum FinishReason {
  STOP("stop"),
  LENGTH("length"),
  CONTENT_FILTER("content-filter"),
  TOOL_CALLS("tool-calls"),
  ERROR("error"),
  OTHER("other");

  private final String wire;

  FinishReason(String wire) {
    this.wire = wire;
  }

  @JsonValue
  public String wire() {
    return wire;
  }
}
