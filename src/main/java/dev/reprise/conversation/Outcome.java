package dev.reprise.conversation;

import java.util.function.Function;

/** What a use case came to: done, with its value, or refused, with the reason. */
public sealed interface Outcome<T> {
  record Done<T>(T value) implements Outcome<T> {}

  record Refused<T>(Refusal refusal) implements Outcome<T> {}

  static <T> Outcome<T> done(T value) {
    return new Done<>(value);
  }

  static <T> Outcome<T> refused(Refusal refusal) {
    return new Refused<>(refusal);
  }

  /** The value changed by {@code f} when done; the same refusal otherwise. */
  default <U> Outcome<U> map(Function<? super T, ? extends U> f) {
    return switch (this) {
      case Done<T>(T value) -> new Done<>(f.apply(value));
      case Refused<T>(Refusal why) -> new Refused<>(why);
    };
  }
}
