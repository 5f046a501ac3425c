package dev.reprise.http;

/**
 * What GET /health reports: "ok" when this node can serve (storage reachable and writable, not
 * draining); otherwise "unavailable" with a {@code reason}.
 */
public record Health(
    String status, String reason, String storage, String node, int activeRuns, int liveStreams) {

  public boolean ok() {
    return "ok".equals(status);
  }
}
