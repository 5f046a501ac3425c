package dev.reprise.model.agent;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.model.output.TokenUsage;

/**
 * Token usage per model call and in total, as message metadata: {@code usage} is the total so far,
 * {@code steps} one entry per call. A count the provider did not report is left out.
 */
final class Usage {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final ArrayNode steps = NODES.arrayNode();
  private long input;
  private long output;
  private long total;
  private boolean anyInput;
  private boolean anyOutput;
  private boolean anyTotal;

  void add(TokenUsage usage) {
    ObjectNode step = steps.addObject();
    if (usage == null) {
      return;
    }
    Integer in = usage.inputTokenCount();
    Integer out = usage.outputTokenCount();
    Integer sum = usage.totalTokenCount();
    if (sum == null && in != null && out != null) {
      sum = in + out;
    }
    if (in != null) {
      step.put("inputTokens", in);
      input += in;
      anyInput = true;
    }
    if (out != null) {
      step.put("outputTokens", out);
      output += out;
      anyOutput = true;
    }
    if (sum != null) {
      step.put("totalTokens", sum);
      total += sum;
      anyTotal = true;
    }
  }

  ObjectNode metadata() {
    ObjectNode metadata = NODES.objectNode();
    ObjectNode usage = metadata.putObject("usage");
    if (anyInput) {
      put(usage, "inputTokens", input);
    }
    if (anyOutput) {
      put(usage, "outputTokens", output);
    }
    if (anyTotal) {
      put(usage, "totalTokens", total);
    }
    metadata.set("steps", steps.deepCopy());
    return metadata;
  }

  /** Small counts as int nodes, so that the metadata equals the same JSON read back. */
  private static void put(ObjectNode node, String name, long value) {
    if (value == (int) value) {
      node.put(name, (int) value);
    } else {
      node.put(name, value);
    }
  }
}
