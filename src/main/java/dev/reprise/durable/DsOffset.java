package dev.reprise.durable;

import java.util.regex.Pattern;

/**
 * Offsets as the protocol's clients see them: opaque, sortable tokens. reprise's is the index of
 * the next log entry, zero-padded behind a zero read sequence ({@code 0000000000000000_…}), so that
 * the zero offset is the one the protocol's tools use for "the beginning".
 */
public final class DsOffset {
  public static final String BEGINNING = "-1";
  public static final String NOW = "now";
  private static final Pattern TOKEN = Pattern.compile("\\d{1,19}_\\d{1,19}");

  private DsOffset() {}

  public static String of(long nextIndex) {
    return "0000000000000000_" + String.format("%016d", nextIndex);
  }

  /**
   * The log index an offset token stands for.
   *
   * @throws DsException 400 when it is not an offset reprise minted
   */
  public static long index(String token) {
    if (token == null || !TOKEN.matcher(token).matches()) {
      throw DsException.badRequest("malformed offset: " + abbreviate(token));
    }
    int underscore = token.indexOf('_');
    try {
      return Long.parseLong(token.substring(underscore + 1));
    } catch (NumberFormatException e) {
      throw DsException.badRequest("malformed offset: " + abbreviate(token));
    }
  }

  private static String abbreviate(String token) {
    if (token == null) {
      return "(none)";
    }
    return token.length() > 40 ? token.substring(0, 40) + "…" : token;
  }
}
