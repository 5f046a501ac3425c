package dev.reprise.model.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/** The current date and time, in UTC or a named time zone. Same output shape as OfflineModel's. */
public final class ClockTool implements Tool {
  private static final ToolSpecification SPEC =
      ToolSpecification.builder()
          .name("clock")
          .description("Returns the current date and time, in UTC or in an IANA time zone.")
          .parameters(
              JsonObjectSchema.builder()
                  .addStringProperty(
                      "timezone", "An IANA time zone such as Europe/Paris; UTC when left out")
                  .build())
          .build();

  private final Clock clock;

  public ClockTool(Clock clock) {
    this.clock = clock;
  }

  @Override
  public ToolSpecification specification() {
    return SPEC;
  }

  @Override
  public JsonNode call(JsonNode input) throws ToolException {
    String zone = input.path("timezone").asText("UTC");
    if (zone.isBlank()) {
      zone = "UTC";
    }
    ZoneId id;
    try {
      id = ZoneId.of(zone);
    } catch (DateTimeException e) {
      throw new ToolException("Unknown time zone '" + zone + "'.");
    }
    ObjectNode output = JsonNodeFactory.instance.objectNode();
    output.put("time", clock.instant().toString());
    output.put(
        "local",
        ZonedDateTime.ofInstant(clock.instant(), id)
            .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
    output.put("timezone", zone);
    return output;
  }
}
