package dev.reprise.run;

import java.time.Duration;

/**
 * How this node runs: its id (unique per process), how many runs it executes at once, how long its
 * claim on a run holds without renewal, how long a stop waits for the run to end, how often it
 * looks for work queued by other nodes, and how many runs one account may start.
 */
public record RunSettings(
    String nodeId,
    int maxConcurrentRuns,
    Duration leaseTimeout,
    Duration stopWait,
    Duration pollInterval,
    RunQuota quota,
    Coalescing coalescing) {}
