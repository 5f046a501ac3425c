package dev.reprise.cli;

import dev.reprise.auth.Account;
import dev.reprise.auth.ApiKey;
import java.time.Instant;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** Account administration for operators, directly on the configured storage. */
@Command(
    name = "accounts",
    mixinStandardHelpOptions = true,
    description = "Manage accounts.",
    subcommands = {AccountsCommand.ListAccounts.class, AccountsCommand.Create.class})
final class AccountsCommand implements Runnable {
  static final int MAX_NAME = 200;

  @Override
  public void run() {
    picocli.CommandLine.usage(this, System.out);
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List accounts: name, id, created, and how many active keys each has.")
  static final class ListAccounts extends OperatorCommand {
    ListAccounts(Map<String, String> env) {
      super(env);
    }

    @Override
    void run(Operator op) {
      Instant now = op.clock().instant();
      System.out.printf("%-30s  %-36s  %-20s  %s%n", "NAME", "ID", "CREATED", "ACTIVE KEYS");
      for (Account account : op.accounts().list()) {
        long active =
            op.keys().list(account.id()).stream().filter((ApiKey k) -> k.usableAt(now)).count();
        System.out.printf(
            "%-30s  %-36s  %-20s  %d%n",
            account.name(),
            account.id(),
            account.createdAt().truncatedTo(java.time.temporal.ChronoUnit.SECONDS),
            active);
      }
    }
  }

  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = {
        "Create an account (for JWT users when REPRISE_JWT_CREATE_ACCOUNTS is off: the name is",
        "the value of the token's account claim). Prints its id; an existing account is kept."
      })
  static final class Create extends OperatorCommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "The account's name.")
    private String name;

    Create(Map<String, String> env) {
      super(env);
    }

    @Override
    void checkArguments() {
      String value = name.strip();
      if (value.isEmpty() || value.length() > MAX_NAME) {
        throw new UsageException("NAME must be 1 to " + MAX_NAME + " characters");
      }
    }

    @Override
    void run(Operator op) {
      String value = name.strip();
      boolean existed = op.accounts().findByName(value).isPresent();
      Account account = op.accounts().findOrCreate(value, op.clock().instant());
      System.out.println(
          (existed ? "exists:  " : "created: ") + account.name() + " (" + account.id() + ")");
    }
  }
}
