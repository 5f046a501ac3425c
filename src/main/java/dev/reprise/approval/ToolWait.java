package dev.reprise.approval;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reprise.protocol.ToolAnswer;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * A tool call of an answer that waits for the user: a call that needs their approval, or a call to
 * a client-side tool whose result their browser supplies. A fact in the store, answered at most
 * once.
 *
 * @param id the approval id for an approval, the tool call id for a client-side tool
 * @param messageId the assistant message the call belongs to, which its answer continues
 */
public record ToolWait(
    String id,
    String chatId,
    String messageId,
    String toolCallId,
    String toolName,
    JsonNode input,
    Kind kind,
    State state,
    Optional<ToolAnswer> answer,
    Instant createdAt) {

  public enum Kind {
    APPROVAL,
    CLIENT_TOOL;

    public String wire() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Kind fromWire(String wire) {
      return valueOf(wire.toUpperCase(Locale.ROOT).replace('-', '_'));
    }
  }

  public enum State {
    /** Not answered yet. */
    PENDING,
    /** Answered; the answer is kept. */
    ANSWERED,
    /** The user stopped the chat, or wrote a new message instead of answering. */
    CANCELLED;

    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static State fromWire(String wire) {
      return valueOf(wire.toUpperCase(Locale.ROOT));
    }
  }

  /** Whether {@code answer} is the kind of answer this wait takes. */
  public boolean accepts(ToolAnswer answer) {
    return switch (answer) {
      case ToolAnswer.Approval approval ->
          kind == Kind.APPROVAL && approval.approvalId().equals(id);
      case ToolAnswer.Output output -> kind == Kind.CLIENT_TOOL && output.toolCallId().equals(id);
      case ToolAnswer.Failure failure ->
          kind == Kind.CLIENT_TOOL && failure.toolCallId().equals(id);
    };
  }
}
