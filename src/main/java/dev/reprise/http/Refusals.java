package dev.reprise.http;

import dev.reprise.conversation.Outcome;
import dev.reprise.conversation.Refusal;

/** The one place where a use case's refusal becomes its HTTP answer. */
final class Refusals {
  static final String BUSY =
      "A response is already streaming for this chat; reconnect with GET /api/chat/{chatId}/stream";

  private Refusals() {}

  /** The outcome's value; a refusal is thrown as the API error that answers it. */
  static <T> T orThrow(Outcome<T> outcome) {
    return switch (outcome) {
      case Outcome.Done<T>(T value) -> value;
      case Outcome.Refused<T>(Refusal why) -> throw toApi(why);
    };
  }

  static ApiException toApi(Refusal refusal) {
    return switch (refusal) {
      case Refusal.NotYourChat notYours -> ApiException.forbidden();
      case Refusal.ChatNotFound missing -> ApiException.notFound("Chat not found");
      case Refusal.RunNotFound missing -> ApiException.notFound("Run not found");
      case Refusal.ChatBusy busy -> ApiException.conflict(BUSY);
      case Refusal.TooManyRuns(String reason, java.time.Duration retryAfter) ->
          ApiException.tooManyRequests(reason, retryAfter);
      case Refusal.UnknownModel(String id, java.util.List<String> offered) ->
          ApiException.badRequest(
              "Unknown model '" + id + "'; available: " + String.join(", ", offered), "model");
      case Refusal.NoSuchToolCall(String id) ->
          ApiException.notFound(
              "No tool call waits for an answer with id '" + id + "' in this chat");
      case Refusal.AlreadyAnswered(String id) ->
          ApiException.conflict(
              "The tool call '"
                  + id
                  + "' no longer waits: it was answered (in another tab?), or cancelled by a stop"
                  + " or a newer message");
      case Refusal.WrongAnswer(String id) ->
          ApiException.badRequest(
              "The answer to '"
                  + id
                  + "' does not fit the call: an approval takes approved,"
                  + " a client-side tool takes its output");
      case Refusal.Unanswered(java.util.List<String> ids) ->
          ApiException.badRequest(
              "Every tool call that waits in the message must be answered at once; not answered: "
                  + String.join(", ", ids));
      case Refusal.DeleteRaced raced ->
          ApiException.conflict("A run for this chat started while it was being deleted; retry");
    };
  }
}
