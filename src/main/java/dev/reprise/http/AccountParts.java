package dev.reprise.http;

import dev.reprise.auth.AccountStore;
import dev.reprise.auth.ApiKeys;
import dev.reprise.config.LimitsConfig;
import dev.reprise.limit.ReaderLimiter;

/** What the key endpoints and the per-account limits work with. */
public record AccountParts(
    ApiKeys keys, AccountStore accounts, LimitsConfig limits, ReaderLimiter readers) {}
