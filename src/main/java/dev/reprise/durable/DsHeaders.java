package dev.reprise.durable;

/** The protocol's header names. */
public final class DsHeaders {
  public static final String NEXT_OFFSET = "Stream-Next-Offset";
  public static final String UP_TO_DATE = "Stream-Up-To-Date";
  public static final String CURSOR = "Stream-Cursor";
  public static final String STREAM_CLOSED = "Stream-Closed";
  public static final String SEQ = "Stream-Seq";
  public static final String TTL = "Stream-TTL";
  public static final String EXPIRES_AT = "Stream-Expires-At";
  public static final String FORKED_FROM = "Stream-Forked-From";
  public static final String FORK_OFFSET = "Stream-Fork-Offset";
  public static final String FORK_SUB_OFFSET = "Stream-Fork-Sub-Offset";
  public static final String SSE_DATA_ENCODING = "Stream-SSE-Data-Encoding";
  public static final String PRODUCER_ID = "Producer-Id";
  public static final String PRODUCER_EPOCH = "Producer-Epoch";
  public static final String PRODUCER_SEQ = "Producer-Seq";
  public static final String PRODUCER_EXPECTED_SEQ = "Producer-Expected-Seq";
  public static final String PRODUCER_RECEIVED_SEQ = "Producer-Received-Seq";

  /** What a browser may send: the protocol's request headers (for CORS preflights). */
  public static final String REQUEST_HEADERS =
      String.join(
          ", ",
          SEQ,
          TTL,
          EXPIRES_AT,
          STREAM_CLOSED,
          PRODUCER_ID,
          PRODUCER_EPOCH,
          PRODUCER_SEQ,
          FORKED_FROM,
          FORK_OFFSET,
          FORK_SUB_OFFSET,
          "If-None-Match");

  /** What a browser may read: the protocol's response headers. */
  public static final String RESPONSE_HEADERS =
      String.join(
          ", ",
          NEXT_OFFSET,
          UP_TO_DATE,
          CURSOR,
          STREAM_CLOSED,
          TTL,
          EXPIRES_AT,
          SSE_DATA_ENCODING,
          PRODUCER_EPOCH,
          PRODUCER_SEQ,
          PRODUCER_EXPECTED_SEQ,
          PRODUCER_RECEIVED_SEQ,
          "ETag",
          "Location",
          "Content-Type");

  private DsHeaders() {}
}
