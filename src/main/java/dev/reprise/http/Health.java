package dev.reprise.http;

/** What GET /health reports: "ok" when this node can serve (storage reachable, not draining). */
public record Health(String status, String storage, String node, int activeRuns, int liveStreams) {

  public boolean ok() {
    return "ok".equals(status);
  }
}
