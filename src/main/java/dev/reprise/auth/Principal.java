package dev.reprise.auth;

/** The authenticated caller of a request. */
public record Principal(String accountId, String keyId) {}
