package dev.reprise.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks real HTTP responses against {@code openapi.yaml}: the operation and status are documented,
 * required headers are present and match their schemas, JSON bodies validate against the documented
 * schema and every {@code data:} line of an SSE body validates against {@code UIMessageChunk}.
 *
 * <p>Schemas are validated as JSON Schema 2020-12 (the OpenAPI 3.1 dialect): {@code
 * components/schemas} is copied into {@code $defs} and every {@code #/components/schemas/X} ref is
 * rewritten to {@code #/$defs/X}, so each checked schema is one self-contained document.
 */
public final class OpenApiContract {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SCHEMAS = "#/components/schemas/";
  private static final String CHUNK = "UIMessageChunk";

  private static final class Holder {
    static final OpenApiContract INSTANCE = fromClasspath("/openapi.yaml");
  }

  private final JsonNode doc;
  private final ObjectNode defs;
  private final JsonSchemaFactory factory =
      JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
  private final SchemaValidatorsConfig config =
      SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).locale(Locale.ROOT).build();
  private final Map<String, JsonSchema> schemas = new ConcurrentHashMap<>();
  private final Map<String, String> chunkVariants = new HashMap<>(); // chunk type -> schema name

  private OpenApiContract(JsonNode doc) {
    this.doc = doc;
    this.defs = (ObjectNode) rewriteRefs(doc.at("/components/schemas").deepCopy());
    for (JsonNode variant : defs.path(CHUNK).path("oneOf")) {
      String name = variant.path("$ref").asText().replaceFirst("^#/\\$defs/", "");
      chunkVariants.put(defs.path(name).at("/properties/type/const").asText(), name);
    }
  }

  /** The contract in {@code openapi.yaml} on the classpath, parsed once. */
  public static OpenApiContract load() {
    return Holder.INSTANCE;
  }

  static OpenApiContract fromClasspath(String resource) {
    try (InputStream in = OpenApiContract.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is not on the classpath");
      }
      return new OpenApiContract(new YAMLMapper().readTree(in));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The parsed OpenAPI document (do not modify). */
  public JsonNode document() {
    return doc;
  }

  /** Asserts that {@code response} is documented for {@code method pathTemplate}. */
  public void check(String method, String pathTemplate, HttpResponse<String> response) {
    check(method, pathTemplate, response.statusCode(), response.headers().map(), response.body());
  }

  /** Like {@link #check(String, String, HttpResponse)} for a response given by its parts. */
  public void check(
      String method,
      String pathTemplate,
      int status,
      Map<String, List<String>> headers,
      String body) {
    List<String> problems = violations(method, pathTemplate, status, headers, body);
    if (!problems.isEmpty()) {
      String operation = method.toUpperCase(Locale.ROOT) + " " + pathTemplate + " -> " + status;
      throw new AssertionError(
          operation + " violates openapi.yaml:\n  " + String.join("\n  ", problems));
    }
  }

  /** Every way the response departs from the contract; empty when it conforms. */
  public List<String> violations(
      String method,
      String pathTemplate,
      int status,
      Map<String, List<String>> headers,
      String body) {
    List<String> problems = new ArrayList<>();
    JsonNode operation = doc.path("paths").path(pathTemplate).path(method.toLowerCase(Locale.ROOT));
    if (!operation.isObject()) {
      problems.add("operation is not documented");
      return problems;
    }
    JsonNode responses = operation.path("responses");
    JsonNode response = resolve(responses.path(Integer.toString(status)));
    if (!response.isObject()) {
      problems.add("status " + status + " is not documented (documented: " + keys(responses) + ")");
      return problems;
    }
    for (Map.Entry<String, JsonNode> entry : response.path("headers").properties()) {
      JsonNode spec = resolve(entry.getValue());
      String value = header(headers, entry.getKey());
      if (value == null) {
        if (spec.path("required").asBoolean(false)) {
          problems.add("required header " + entry.getKey() + " is missing");
        }
      } else if (spec.has("schema")) {
        JsonNode schema = resolve(spec.get("schema"));
        boolean scalar = schema.path("type").asText().matches("integer|number|boolean");
        JsonNode node = scalar ? parseOr(value, TextNode.valueOf(value)) : TextNode.valueOf(value);
        validate(
            spec.get("schema"), node, "header " + entry.getKey() + " '" + value + "'", problems);
      }
    }
    JsonNode content = response.path("content");
    boolean emptyBody = body == null || body.isEmpty();
    if (!content.isObject()) {
      if (!emptyBody) {
        problems.add("no body is documented but the body is: " + abbreviate(body));
      }
      return problems;
    }
    String contentType = header(headers, "content-type");
    String media =
        contentType == null ? "" : contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
    if (!content.has(media)) {
      problems.add("content-type '" + contentType + "' is not documented " + keys(content));
    } else if (media.equals("application/json") || media.endsWith("+json")) {
      JsonNode json = parseOr(body, null);
      if (json == null) {
        problems.add("body is not JSON: " + abbreviate(body));
      } else {
        validate(content.get(media).path("schema"), json, "body", problems);
      }
    } else if (media.equals("text/event-stream")) {
      checkEventStream(body, problems);
    } else if (emptyBody) {
      problems.add("body is empty");
    }
    return problems;
  }

  private void checkEventStream(String body, List<String> problems) {
    JsonNode chunkRef = TextNode.valueOf(SCHEMAS + CHUNK);
    boolean done = false;
    int n = 0;
    for (String line : (body == null ? "" : body).split("\r?\n")) {
      if (!line.startsWith("data:")) {
        continue;
      }
      String data = line.substring(5).startsWith(" ") ? line.substring(6) : line.substring(5);
      String where = "data line " + n++;
      if (done) {
        problems.add(where + " comes after [DONE]: " + abbreviate(data));
      } else if (data.equals("[DONE]")) {
        done = true;
      } else {
        JsonNode chunk = parseOr(data, null);
        if (chunk == null) {
          problems.add(where + " is not JSON: " + abbreviate(data));
          continue;
        }
        List<String> found = new ArrayList<>();
        validate(JSON.createObjectNode().set("$ref", chunkRef), chunk, where, found);
        if (!found.isEmpty()) {
          problems.addAll(explainChunk(chunk, where, found));
        }
      }
    }
    if (n == 0) {
      problems.add("event stream has no data lines");
    }
  }

  /** Replaces the oneOf noise of a failed chunk by the errors of the variant its type names. */
  private List<String> explainChunk(JsonNode chunk, String where, List<String> oneOfErrors) {
    String type = chunk.path("type").asText(null);
    String variant = type == null ? null : chunkVariants.get(type);
    if (variant == null) {
      return List.of(where + ": unknown chunk type '" + type + "' in " + abbreviate(chunk + ""));
    }
    List<String> found = new ArrayList<>();
    String label = where + " (" + variant + ")";
    validate(JSON.createObjectNode().put("$ref", SCHEMAS + variant), chunk, label, found);
    return found.isEmpty()
        ? oneOfErrors.stream().filter(e -> e.contains("only one")).toList()
        : found;
  }

  private void validate(JsonNode schemaNode, JsonNode value, String what, List<String> problems) {
    if (!schemaNode.isObject()) {
      return;
    }
    ObjectNode root = (ObjectNode) rewriteRefs(schemaNode.deepCopy());
    String key = root.toString();
    JsonSchema schema =
        schemas.computeIfAbsent(
            key,
            k -> {
              root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
              root.set("$defs", defs);
              return factory.getSchema(root, config);
            });
    for (ValidationMessage message : schema.validate(value)) {
      String at = message.getInstanceLocation().toString();
      problems.add(what + (at.isEmpty() ? "" : " at " + at) + ": " + message.getError());
    }
  }

  /** Follows local {@code $ref}s of OpenAPI objects (responses, headers, parameters). */
  private JsonNode resolve(JsonNode node) {
    while (node.path("$ref").asText("").startsWith("#/")) {
      node = doc.at(node.get("$ref").asText().substring(1));
    }
    return node;
  }

  private static JsonNode rewriteRefs(JsonNode node) {
    if (node instanceof ObjectNode object) {
      JsonNode ref = object.get("$ref");
      if (ref != null && ref.isTextual() && ref.asText().startsWith(SCHEMAS)) {
        object.put("$ref", "#/$defs/" + ref.asText().substring(SCHEMAS.length()));
      }
    }
    node.forEach(OpenApiContract::rewriteRefs);
    return node;
  }

  private static String header(Map<String, List<String>> headers, String name) {
    return headers.entrySet().stream()
        .filter(e -> name.equalsIgnoreCase(e.getKey()) && !e.getValue().isEmpty())
        .map(e -> e.getValue().get(0))
        .findFirst()
        .orElse(null);
  }

  private static JsonNode parseOr(String text, JsonNode fallback) {
    try {
      JsonNode node = text == null ? null : JSON.readTree(text);
      return node == null || node.isMissingNode() ? fallback : node;
    } catch (JsonProcessingException e) {
      return fallback;
    }
  }

  private static List<String> keys(JsonNode object) {
    return object.properties().stream().map(Map.Entry::getKey).toList();
  }

  private static String abbreviate(String text) {
    return text.length() <= 200 ? text : text.substring(0, 200) + "…";
  }
}
