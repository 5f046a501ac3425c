package dev.reprise.durable;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * Content types and payloads of Durable Streams: how an append's bytes become one log entry, and
 * back.
 *
 * <p>A log entry is text, so each is tagged: {@code u} and the payload as it is when it is UTF-8
 * without NUL (every JSON stream's, and most text), {@code b} and Base64 otherwise. A JSON stream's
 * entry holds the values of one append, compact and joined by commas, so that a read wraps the
 * entries in one pair of brackets.
 */
public final class DsContent {
  public static final String DEFAULT_TYPE = "application/octet-stream";
  private static final char TEXT = 'u';
  private static final char BINARY = 'b';

  private DsContent() {}

  /** The media type alone, lower case: {@code Application/JSON; charset=utf-8} → {@code json}. */
  public static String normalize(String contentType) {
    if (contentType == null) {
      return "";
    }
    int semicolon = contentType.indexOf(';');
    String type = semicolon < 0 ? contentType : contentType.substring(0, semicolon);
    return type.trim().toLowerCase(Locale.ROOT);
  }

  public static boolean sameType(String a, String b) {
    return normalize(a).equals(normalize(b));
  }

  public static boolean isJson(String contentType) {
    return normalize(contentType).equals("application/json");
  }

  /** Whether SSE can carry the stream's data as it is; any other type goes out in Base64. */
  public static boolean isText(String contentType) {
    String type = normalize(contentType);
    return type.startsWith("text/") || type.equals("application/json");
  }

  /** A log entry holding {@code bytes}. */
  public static String entry(byte[] bytes) {
    String text = utf8(bytes);
    if (text != null && text.indexOf('\0') < 0) {
      return TEXT + text;
    }
    return BINARY + Base64.getEncoder().encodeToString(bytes);
  }

  /** A JSON stream's log entry: the values of one append, joined by commas. */
  public static String jsonEntry(List<String> values) {
    return TEXT + String.join(",", values);
  }

  /** The bytes a log entry holds. */
  public static byte[] bytes(String entry) {
    if (entry.isEmpty()) {
      return new byte[0];
    }
    String body = entry.substring(1);
    return entry.charAt(0) == BINARY
        ? Base64.getDecoder().decode(body)
        : body.getBytes(StandardCharsets.UTF_8);
  }

  /** The comma-joined JSON values a JSON stream's log entry holds. */
  public static String jsonValues(String entry) {
    return entry.isEmpty() ? "" : entry.substring(1);
  }

  /**
   * The values of a JSON append: an array counts as its elements (one level), anything else as one
   * value. Each comes back compact.
   *
   * @throws DsException 400 for text that is not JSON, or an empty array where one is refused
   */
  public static List<String> jsonValues(ObjectMapper mapper, byte[] body, boolean allowEmpty) {
    JsonNode parsed;
    try {
      parsed = mapper.readTree(body);
    } catch (java.io.IOException e) {
      throw DsException.badRequest("the body is not valid JSON");
    }
    if (parsed == null || parsed.isMissingNode()) {
      throw DsException.badRequest("the body is not valid JSON");
    }
    List<String> values = new ArrayList<>();
    try {
      if (parsed.isArray()) {
        for (JsonNode element : parsed) {
          values.add(mapper.writeValueAsString(element));
        }
      } else {
        values.add(mapper.writeValueAsString(parsed));
      }
    } catch (JsonProcessingException e) {
      throw DsException.badRequest("the body is not valid JSON");
    }
    if (values.isEmpty() && !allowEmpty) {
      throw DsException.badRequest("an empty JSON array appends nothing");
    }
    return values;
  }

  /** The JSON values of a comma-joined entry, each on its own (for a fork that splits an entry). */
  public static List<String> splitValues(ObjectMapper mapper, String joined) {
    try {
      List<String> values = new ArrayList<>();
      for (JsonNode element : mapper.readTree("[" + joined + "]")) {
        values.add(mapper.writeValueAsString(element));
      }
      return values;
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON stream holds an entry that is not JSON", e);
    }
  }

  private static String utf8(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }
}
