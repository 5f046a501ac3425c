package dev.reprise.http;

/** What GET /health reports. */
public record Health(String status, String storage, int activeRuns, int liveStreams) {}
