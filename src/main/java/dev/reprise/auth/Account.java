package dev.reprise.auth;

import java.time.Instant;

/** Who owns chats and runs. */
public record Account(String id, String name, Instant createdAt) {}
