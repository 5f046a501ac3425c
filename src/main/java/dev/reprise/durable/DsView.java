package dev.reprise.durable;

/**
 * A readable stream: where its entries are and how they read.
 *
 * @param key the catalog key of an account's stream (its TTL is touched by reads), or null for a
 *     chat run's stream
 * @param logId the stream log's id of its entries
 * @param contentType what {@code Content-Type} its reads carry
 * @param rawJson its entries are JSON values as they are (a chat run's UI chunks), not the tagged
 *     entries of {@link DsContent}
 */
public record DsView(String key, String logId, String contentType, boolean rawJson) {

  public static DsView of(DsMeta meta) {
    return new DsView(meta.key(), meta.logId(), meta.contentType(), false);
  }

  /** A chat run's stream of UI message chunks, read-only, in JSON mode. */
  public static DsView ofRun(String runId) {
    return new DsView(null, runId, "application/json", true);
  }

  public boolean json() {
    return rawJson || DsContent.isJson(contentType);
  }
}
