package dev.reprise.model.mcp;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import java.io.IOException;

/**
 * The MCP SDK's JSON seam, on the Jackson 2 that reprise already uses: the SDK's own Jackson 2
 * module pulls in a JSON schema validator that clashes with the one the tests use.
 */
final class JacksonMcpJsonMapper implements McpJsonMapper {
  private final ObjectMapper mapper =
      new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  ObjectMapper mapper() {
    return mapper;
  }

  @Override
  public <T> T readValue(String content, Class<T> type) throws IOException {
    return mapper.readValue(content, type);
  }

  @Override
  public <T> T readValue(byte[] content, Class<T> type) throws IOException {
    return mapper.readValue(content, type);
  }

  @Override
  public <T> T readValue(String content, TypeRef<T> type) throws IOException {
    return mapper.readValue(content, javaType(type));
  }

  @Override
  public <T> T readValue(byte[] content, TypeRef<T> type) throws IOException {
    return mapper.readValue(content, javaType(type));
  }

  @Override
  public <T> T convertValue(Object fromValue, Class<T> type) {
    return mapper.convertValue(fromValue, type);
  }

  @Override
  public <T> T convertValue(Object fromValue, TypeRef<T> type) {
    return mapper.convertValue(fromValue, javaType(type));
  }

  @Override
  public String writeValueAsString(Object value) throws IOException {
    return mapper.writeValueAsString(value);
  }

  @Override
  public byte[] writeValueAsBytes(Object value) throws IOException {
    return mapper.writeValueAsBytes(value);
  }

  private JavaType javaType(TypeRef<?> type) {
    return mapper.getTypeFactory().constructType(type.getType());
  }
}
