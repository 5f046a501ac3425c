package dev.reprise.model.tools;

import dev.langchain4j.internal.JsonSchemaElementJsonUtils;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import java.util.Map;

/** JSON schemas of tool inputs as the model providers take them. */
public final class ToolSchemas {
  private ToolSchemas() {}

  /** The object schema described by {@code schema}; an open object when it cannot be used. */
  public static JsonObjectSchema object(Map<String, Object> schema) {
    if (schema != null) {
      try {
        if (JsonSchemaElementJsonUtils.fromMap(schema) instanceof JsonObjectSchema object) {
          return object;
        }
      } catch (IllegalArgumentException e) {
        // why: a schema LangChain4j cannot represent; the model gets an open object instead.
      }
    }
    return JsonObjectSchema.builder().build();
  }
}
