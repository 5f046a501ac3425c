package dev.reprise.conversation;

import java.time.Duration;
import java.util.List;

/** Why a use case did nothing. A refused request has written nothing. */
public sealed interface Refusal {
  /** The chat belongs to another account. */
  record NotYourChat() implements Refusal {}

  /** No such chat. */
  record ChatNotFound() implements Refusal {}

  /** No such run, or another account's (which is not told apart from none). */
  record RunNotFound() implements Refusal {}

  /** The chat already has a live run. */
  record ChatBusy() implements Refusal {}

  /** The account is over a run quota; one more fits after {@code retryAfter}. */
  record TooManyRuns(String reason, Duration retryAfter) implements Refusal {}

  /** The request names a model that is not offered. */
  record UnknownModel(String id, List<String> offered) implements Refusal {}

  /** A run started for the chat each time it was about to be deleted. */
  record DeleteRaced() implements Refusal {}

  /** The chat waits on no tool call with this id (an approval id, or a client tool's call id). */
  record NoSuchToolCall(String id) implements Refusal {}

  /** The tool call was answered before (from another tab, or node), or cancelled. */
  record AlreadyAnswered(String id) implements Refusal {}

  /** The answer does not fit the call: a result for a call that waits for an approval, say. */
  record WrongAnswer(String id) implements Refusal {}

  /** Every tool call that waits in the message must be answered at once; these were not. */
  record Unanswered(List<String> ids) implements Refusal {}
}
