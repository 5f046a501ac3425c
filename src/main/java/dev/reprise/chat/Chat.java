package dev.reprise.chat;

import java.time.Instant;

/** A conversation owned by one account. Its id is a UUID chosen by the client or by reprise. */
public record Chat(
    String id,
    String accountId,
    String title,
    String model,
    Instant createdAt,
    Instant updatedAt) {}
