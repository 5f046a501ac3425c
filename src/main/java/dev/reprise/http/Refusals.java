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
      case Refusal.DeleteRaced raced ->
          ApiException.conflict("A run for this chat started while it was being deleted; retry");
    };
  }
}
