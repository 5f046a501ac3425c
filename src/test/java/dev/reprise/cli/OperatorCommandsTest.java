package dev.reprise.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code reprise keys list|revoke} and {@code reprise accounts list|create}, on a data dir. */
class OperatorCommandsTest {
  @TempDir Path dataDir;

  private record Result(int exit, String out, String err) {
    List<String> lines() {
      return out.strip().lines().toList();
    }
  }

  private Result run(String... args) {
    PrintStream originalOut = System.out;
    PrintStream originalErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      int exit = RepriseCli.run(args, Map.of("REPRISE_DATA_DIR", dataDir.toString()));
      return new Result(
          exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(originalOut);
      System.setErr(originalErr);
    }
  }

  @Test
  void keys_are_listed_without_their_secret_and_revoked_by_id() {
    Result created = run("keys", "create", "--account", "alice", "--name", "laptop");
    String key = created.lines().getLast();
    String keyId = created.lines().get(1).replace("key id:", "").strip();

    Result listed = run("keys", "list");
    assertThat(listed.exit()).isZero();
    assertThat(listed.out())
        .contains(keyId)
        .contains("alice")
        .contains("laptop")
        .contains(key.substring(0, 11))
        .contains("active")
        .doesNotContain(key.substring(11));

    Result revoked = run("keys", "revoke", keyId);
    assertThat(revoked.exit()).isZero();
    assertThat(revoked.out()).contains("revoked " + keyId);
    assertThat(run("keys", "list", "--account", "alice").out()).contains("revoked");
  }

  @Test
  void revoking_an_unknown_key_or_listing_an_unknown_account_is_an_error() {
    Result unknownKey = run("keys", "revoke", "no-such-key");
    assertThat(unknownKey.exit()).isEqualTo(2);
    assertThat(unknownKey.err().strip()).isEqualTo("reprise: no API key with id 'no-such-key'");
    Result unknownAccount = run("keys", "list", "--account", "nobody");
    assertThat(unknownAccount.exit()).isEqualTo(2);
    // why: an unknown account is a wrong argument, not a bad configuration value.
    assertThat(unknownAccount.err().strip()).isEqualTo("reprise: no account named 'nobody'");
  }

  @Test
  void accounts_are_created_once_and_listed_with_their_active_keys() {
    Result created = run("accounts", "create", "bob@example.test");
    Result again = run("accounts", "create", "bob@example.test");
    run("keys", "create", "--account", "bob@example.test");

    assertThat(created.out()).startsWith("created: bob@example.test");
    assertThat(again.out()).startsWith("exists:  bob@example.test");
    Result listed = run("accounts", "list");
    assertThat(listed.exit()).isZero();
    assertThat(listed.lines()).hasSize(2);
    assertThat(listed.lines().get(1)).startsWith("bob@example.test").endsWith("1");
    assertThat(run("accounts", "create", " ").exit()).isEqualTo(2);
  }
}
