package dev.reprise.storage.redis;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.sync.RedisCommands;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/** A Lua script run by its SHA, sent in full only when the server does not have it cached. */
final class RedisScript {
  private final String source;
  private final String sha;

  RedisScript(String source) {
    this.source = source;
    this.sha = sha1(source);
  }

  long run(RedisCommands<String, String> redis, String[] keys, String... args) {
    return eval(redis, ScriptOutputType.INTEGER, keys, args);
  }

  /** Runs a script that returns an array of integers. */
  List<Long> runEach(RedisCommands<String, String> redis, String[] keys, String... args) {
    return eval(redis, ScriptOutputType.MULTI, keys, args);
  }

  private <T> T eval(
      RedisCommands<String, String> redis, ScriptOutputType type, String[] keys, String... args) {
    try {
      return redis.evalsha(sha, type, keys, args);
    } catch (RedisNoScriptException e) {
      // why: the script cache is empty after a restart or SCRIPT FLUSH; EVAL caches it again.
      return redis.eval(source, type, keys, args);
    }
  }

  private static String sha1(String text) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
