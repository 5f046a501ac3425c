package dev.reprise.cli;

import dev.reprise.auth.Account;
import dev.reprise.auth.ApiKey;
import dev.reprise.auth.ApiKeys;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * API key administration for operators, working directly on the configured storage (the server may
 * be running).
 */
@Command(
    name = "keys",
    mixinStandardHelpOptions = true,
    description = "Manage API keys.",
    subcommands = {KeysCommand.Create.class, KeysCommand.ListKeys.class, KeysCommand.Revoke.class})
final class KeysCommand implements Runnable {

  @Override
  public void run() {
    picocli.CommandLine.usage(this, System.out);
  }

  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = {
        "Create an API key for an account (created if needed).",
        "The key is printed once, alone on the last line of standard output."
      })
  static final class Create extends OperatorCommand {
    @Option(names = "--account", required = true, description = "Account name.")
    private String account;

    @Option(names = "--name", description = "A label for the key (default: cli).")
    private String name = "cli";

    @Option(
        names = "--expires-in",
        description = "Lifetime as an ISO-8601 duration, e.g. P30D or PT12H (default: never).")
    private String expiresIn;

    Create(Map<String, String> env) {
      super(env);
    }

    @Override
    void checkArguments() {
      if (account.isBlank()) {
        throw new UsageException("--account must not be blank");
      }
    }

    @Override
    void run(Operator op) {
      Instant expiresAt = expiresIn == null ? null : op.clock().instant().plus(parse(expiresIn));
      ApiKeys.Issued issued = op.keys().create(account, name, expiresAt);
      System.out.println(
          "account: " + issued.account().name() + " (" + issued.account().id() + ")");
      System.out.println("key id:  " + issued.record().id());
      if (expiresAt != null) {
        System.out.println("expires: " + expiresAt);
      }
      System.out.println(issued.key());
    }

    private static Duration parse(String value) {
      try {
        Duration duration = Duration.parse(value);
        if (duration.isNegative() || duration.isZero()) {
          throw new UsageException("--expires-in must be positive, got " + value);
        }
        return duration;
      } catch (DateTimeParseException e) {
        throw new UsageException(
            "--expires-in must be an ISO-8601 duration such as P30D, got " + value);
      }
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = {
        "List API keys: id, account, name, prefix, status, created, last used, expires.",
        "Never the keys themselves: they are not stored."
      })
  static final class ListKeys extends OperatorCommand {
    @Option(names = "--account", description = "Only this account's keys (default: every key).")
    private String account;

    ListKeys(Map<String, String> env) {
      super(env);
    }

    @Override
    void run(Operator op) {
      List<Account> accounts =
          account == null ? op.accounts().list() : List.of(op.account(account));
      Instant now = op.clock().instant();
      PrintStream out = System.out;
      out.printf(
          "%-36s  %-20s  %-16s  %-11s  %-7s  %-20s  %-20s  %s%n",
          "ID", "ACCOUNT", "NAME", "PREFIX", "STATUS", "CREATED", "LAST USED", "EXPIRES");
      for (Account a : accounts) {
        for (ApiKey key : op.keys().list(a.id())) {
          out.printf(
              "%-36s  %-20s  %-16s  %-11s  %-7s  %-20s  %-20s  %s%n",
              key.id(),
              a.name(),
              key.name(),
              key.prefix(),
              status(key, now),
              seconds(key.createdAt()),
              seconds(key.lastUsedAt()),
              seconds(key.expiresAt()));
        }
      }
    }

    private static String status(ApiKey key, Instant now) {
      return key.revokedAt() != null ? "revoked" : key.usableAt(now) ? "active" : "expired";
    }

    private static String seconds(Instant at) {
      return at == null ? "-" : at.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    }
  }

  @Command(
      name = "revoke",
      mixinStandardHelpOptions = true,
      description =
          "Revoke an API key by its id: it fails from the next request on, on every node.")
  static final class Revoke extends OperatorCommand {
    @Parameters(index = "0", paramLabel = "KEY_ID", description = "The key's id (keys list).")
    private String keyId;

    Revoke(Map<String, String> env) {
      super(env);
    }

    @Override
    void run(Operator op) {
      ApiKey key =
          op.accounts()
              .findKey(keyId.strip())
              .orElseThrow(() -> new UsageException("no API key with id '" + keyId + "'"));
      op.keys().revoke(key.accountId(), key.id());
      System.out.println("revoked " + key.id() + " (" + key.prefix() + "…, " + key.name() + ")");
    }
  }
}
