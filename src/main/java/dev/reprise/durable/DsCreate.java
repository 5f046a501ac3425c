package dev.reprise.durable;

/**
 * What a {@code PUT} asks for.
 *
 * @param contentType the type given, or null (a fork then takes its source's)
 * @param ttlSeconds a sliding TTL, or null
 * @param expiresAt an absolute expiry as given (RFC 3339), or null
 * @param closed create the stream closed
 * @param body the initial data, possibly empty
 * @param fork the stream to fork from, or null
 */
public record DsCreate(
    String contentType, Long ttlSeconds, String expiresAt, boolean closed, byte[] body, Fork fork) {

  /**
   * A fork's source: its path, the offset to fork at (null: its tail), and how far into the entry
   * at that offset (bytes, or JSON values; 0 for none).
   */
  public record Fork(String sourcePath, String offset, long subOffset) {}
}
