package dev.reprise.config;

/**
 * How hard SQLite syncs a commit. NORMAL (default) survives a killed process: the commit is in the
 * OS. FULL also survives power loss, at the price of an fsync per commit.
 */
public enum SqliteSync {
  NORMAL,
  FULL
}
