package dev.reprise.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/** Scenario 6: runs dev.reprise.bench.jmh.HotPath in a forked JVM. */
final class Jmh {
  record Line(String benchmark, double score, double error, String unit) {}

  private Jmh() {}

  static List<Line> run(boolean full, String java, String classpath) throws Exception {
    Options options =
        new OptionsBuilder()
            .include("dev.reprise.bench.jmh.HotPath")
            .forks(1)
            .jvm(java)
            .jvmArgs("-Xmx1g", "-XX:+UseG1GC", "-cp", classpath)
            .warmupIterations(full ? 3 : 1)
            .warmupTime(TimeValue.seconds(1))
            .measurementIterations(full ? 5 : 2)
            .measurementTime(TimeValue.seconds(1))
            .addProfiler("gc")
            .verbosity(org.openjdk.jmh.runner.options.VerboseMode.SILENT)
            .build();
    Collection<RunResult> results = new Runner(options).run();
    List<Line> lines = new ArrayList<>();
    for (RunResult r : results) {
      String name = r.getParams().getBenchmark();
      name = name.substring(name.lastIndexOf('.') + 1);
      lines.add(new Line(name, r.getPrimaryResult().getScore(), r.getPrimaryResult().getScoreError(), r.getPrimaryResult().getScoreUnit()));
      var alloc = r.getSecondaryResults().get("gc.alloc.rate.norm");
      if (alloc != null) {
        lines.add(new Line(name + " (allocation)", alloc.getScore(), alloc.getScoreError(), alloc.getScoreUnit()));
      }
    }
    return lines;
  }
}
