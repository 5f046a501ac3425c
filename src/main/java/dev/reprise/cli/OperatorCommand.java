package dev.reprise.cli;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Option;

/**
 * An operator subcommand: it checks its arguments, opens the configured storage, does its work on
 * it and closes it again. Subclasses have a constructor taking the environment.
 */
abstract class OperatorCommand implements Callable<Integer> {
  private final Map<String, String> env;

  @Option(names = "--data-dir", description = "Overrides REPRISE_DATA_DIR (default ./data).")
  private Path dataDir;

  OperatorCommand(Map<String, String> env) {
    this.env = env;
  }

  /** Refuses bad arguments with a {@link UsageException}, before any storage is opened. */
  void checkArguments() {}

  /** The command's work. */
  abstract void run(Operator op);

  @Override
  public final Integer call() {
    checkArguments();
    try (Operator op = Operator.open(env, dataDir)) {
      run(op);
      return 0;
    }
  }
}
