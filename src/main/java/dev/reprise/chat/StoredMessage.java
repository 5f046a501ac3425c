package dev.reprise.chat;

/** A message of a chat as stored: its id, its role and the whole UIMessage JSON. */
public record StoredMessage(String id, String role, String body) {}
