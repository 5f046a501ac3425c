package dev.reprise.run;

import dev.reprise.chat.StoredMessage;
import dev.reprise.protocol.ToolAnswer;
import java.util.List;
import java.util.Optional;

/**
 * What a run's request adds to its chat: the user's messages (each stored once, by id) and, for a
 * regenerate, the message after which the transcript is cut; or, for a run that continues an
 * answer, the user's answers to the tool calls it waits on. Written in the same transaction that
 * admits the run, so a refused request writes nothing.
 */
public record Turn(
    List<StoredMessage> messages, Optional<String> truncateAfter, Optional<Answers> answers) {
  public static final Turn NONE = new Turn(List.of(), Optional.empty(), Optional.empty());

  public Turn {
    messages = List.copyOf(messages);
  }

  public Turn(List<StoredMessage> messages, Optional<String> truncateAfter) {
    this(messages, truncateAfter, Optional.empty());
  }

  /** A turn that only answers tool calls of the assistant message {@code messageId}. */
  public static Turn answering(String messageId, List<ToolAnswer> answers, boolean all) {
    return new Turn(List.of(), Optional.empty(), Optional.of(new Answers(messageId, answers, all)));
  }

  /**
   * Answers to the tool calls of one assistant message.
   *
   * @param all whether every pending call of the message must be answered (an AI SDK client sends
   *     them together); otherwise the answers are kept and the run starts with the last one
   */
  public record Answers(String messageId, List<ToolAnswer> answers, boolean all) {
    public Answers {
      answers = List.copyOf(answers);
    }
  }
}
