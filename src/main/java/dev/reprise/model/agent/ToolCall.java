package dev.reprise.model.agent;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * A tool call as the UI and the next model call see it.
 *
 * @param id the id shown in the UI and sent back to the provider (unique in the message)
 * @param input the parsed arguments; an empty object when they were not valid JSON
 * @param inputError why the arguments could not be used, if they could not
 */
record ToolCall(String id, String name, JsonNode input, Optional<String> inputError) {}
