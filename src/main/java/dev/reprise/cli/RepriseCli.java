package dev.reprise.cli;

import dev.reprise.app.StartupException;
import dev.reprise.config.ConfigException;
import java.util.Map;
import org.slf4j.bridge.SLF4JBridgeHandler;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code reprise} command line. */
@Command(
    name = "reprise",
    mixinStandardHelpOptions = true,
    version = "reprise 0.1.0",
    description = "A chat back end whose answers are durable, resumable streams.",
    subcommands = {ServeCommand.class, KeysCommand.class, AccountsCommand.class},
    footer = {
      "",
      "In a source checkout, the launcher script (./reprise) adds:",
      "  test      Run every test through the Maven wrapper.",
      "  dist      Build the release archive (a Java runtime included) and test it.",
      "",
      "Configuration comes from REPRISE_* environment variables: see docs/configuration.md."
    })
public final class RepriseCli implements Runnable {

  public static void main(String[] args) {
    System.exit(run(args, System.getenv()));
  }

  static int run(String[] args, Map<String, String> env) {
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
    CommandLine cli = new CommandLine(new RepriseCli(), new EnvFactory(env));
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          return switch (e) {
            case ConfigException config -> {
              commandLine.getErr().println("reprise: configuration error: " + config.getMessage());
              yield 2;
            }
            case StartupException startup -> {
              commandLine.getErr().println("reprise: " + startup.getMessage());
              yield 1;
            }
            case UsageException usage -> {
              commandLine.getErr().println("reprise: " + usage.getMessage());
              yield 2;
            }
            default -> throw e;
          };
        });
    return cli.execute(args);
  }

  @Override
  public void run() {
    CommandLine.usage(this, System.out);
  }

  /** Gives commands the environment they read their configuration from. */
  private record EnvFactory(Map<String, String> env) implements CommandLine.IFactory {
    @Override
    public <K> K create(Class<K> type) throws Exception {
      if (type == ServeCommand.class) {
        return type.cast(new ServeCommand(env));
      }
      if (OperatorCommand.class.isAssignableFrom(type)) {
        return type.getDeclaredConstructor(Map.class).newInstance(env);
      }
      return CommandLine.defaultFactory().create(type);
    }
  }
}
