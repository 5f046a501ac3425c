package dev.reprise.run;

import dev.reprise.chat.StoredMessage;
import java.util.List;
import java.util.Optional;

/**
 * What a run's request adds to its chat: the user's messages (each stored once, by id) and, for a
 * regenerate, the message after which the transcript is cut. Written in the same transaction that
 * admits the run, so a refused request writes nothing.
 */
public record Turn(List<StoredMessage> messages, Optional<String> truncateAfter) {
  public static final Turn NONE = new Turn(List.of(), Optional.empty());

  public Turn {
    messages = List.copyOf(messages);
  }
}
