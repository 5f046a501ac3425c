package dev.reprise.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.util.Locale;

/**
 * The one JSON configuration of reprise: nulls are never written, and times are ISO-8601 UTC
 * strings with exactly three fractional digits.
 */
public final class Json {
  // why: storage keeps milliseconds, so a time fresh from the clock (nanoseconds) would otherwise
  // be
  // written more precisely than the same time read back, and an exact zero millisecond would drop
  // its fraction: one fixed shape for every response.
  private static final DateTimeFormatter MILLIS =
      new DateTimeFormatterBuilder().appendInstant(3).toFormatter(Locale.ROOT);

  private static final String HEX = "0123456789ABCDEF";
  private static final String DELTA_FIELD = "\",\"delta\":\"";
  private static final String END = "\"}";
  private static final String TEXT_DELTA = "{\"type\":\"text-delta\",\"id\":\"";
  private static final String REASONING_DELTA = "{\"type\":\"reasoning-delta\",\"id\":\"";

  private final ObjectMapper mapper;

  public Json() {
    // why: Jackson's default buffer pool is per thread, and chunks are written on short-lived
    // virtual threads, so every chunk allocated fresh 8 KiB buffers (40 % of the bytes a chat
    // ladder allocated); a shared pool hands the same buffers round.
    JsonFactory factory =
        JsonFactory.builder().recyclerPool(JsonRecyclerPools.newConcurrentDequePool()).build();
    this.mapper =
        JsonMapper.builder(factory)
            .addModule(new JavaTimeModule())
            .addModule(
                new SimpleModule("instants-in-milliseconds")
                    .addSerializer(Instant.class, new InstantSerializer()))
            .defaultPropertyInclusion(
                JsonInclude.Value.construct(
                    JsonInclude.Include.NON_NULL, JsonInclude.Include.NON_NULL))
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();
  }

  private static final class InstantSerializer extends StdSerializer<Instant> {
    private static final long serialVersionUID = 1L;

    InstantSerializer() {
      super(Instant.class);
    }

    @Override
    public void serialize(Instant value, JsonGenerator gen, SerializerProvider provider)
        throws IOException {
      gen.writeString(MILLIS.format(value));
    }
  }

  public ObjectMapper mapper() {
    return mapper;
  }

  public String write(Object value) {
    try {
      return mapper.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A chunk's JSON, as {@link #write} gives it. Text and reasoning deltas, nearly every chunk of an
   * answer, are written without the mapper, whose generator, context and writer per call made about
   * 8 % of the bytes a chat ladder allocated per chunk ({@code JsonChunkTest} holds the two equal).
   */
  public String writeChunk(UiChunk chunk) {
    return switch (chunk) {
      case UiChunk.TextDelta t when t.id() != null && t.delta() != null ->
          delta(TEXT_DELTA, t.id(), t.delta());
      case UiChunk.ReasoningDelta r when r.id() != null && r.delta() != null ->
          delta(REASONING_DELTA, r.id(), r.delta());
      default -> write(chunk);
    };
  }

  private static String delta(String prefix, String id, String delta) {
    if (plain(id) && plain(delta)) {
      // why: one array of the exact size, the common case.
      return prefix + id + DELTA_FIELD + delta + END;
    }
    StringBuilder json = new StringBuilder(prefix.length() + id.length() + delta.length() + 32);
    json.append(prefix);
    appendEscaped(json, id);
    json.append(DELTA_FIELD);
    appendEscaped(json, delta);
    return json.append(END).toString();
  }

  /** Whether the text goes into a JSON string as it is. */
  private static boolean plain(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x20 || c == '"' || c == '\\') {
        return false;
      }
    }
    return true;
  }

  /** The text escaped as the mapper escapes it: quote, backslash and control characters. */
  private static void appendEscaped(StringBuilder json, String text) {
    int plainFrom = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c >= 0x20 && c != '"' && c != '\\') {
        continue;
      }
      json.append(text, plainFrom, i);
      switch (c) {
        case '"' -> json.append("\\\"");
        case '\\' -> json.append("\\\\");
        case '\n' -> json.append("\\n");
        case '\r' -> json.append("\\r");
        case '\t' -> json.append("\\t");
        case '\b' -> json.append("\\b");
        case '\f' -> json.append("\\f");
        default -> json.append("\\u00").append(HEX.charAt(c >> 4)).append(HEX.charAt(c & 0xF));
      }
      plainFrom = i + 1;
    }
    json.append(text, plainFrom, text.length());
  }

  public byte[] writeBytes(Object value) {
    try {
      return mapper.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  public JsonNode tree(String json) {
    try {
      return mapper.readTree(json);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  public <T> T read(String json, Class<T> type) {
    try {
      return mapper.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  public UiChunk chunk(String json) {
    try {
      return mapper.readValue(json, UiChunk.class);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
