package dev.reprise.model;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/** Every log line written under dev.reprise.model while it is open, as formatted text. */
public final class LogCapture implements AutoCloseable {
  private final Logger logger;
  private final ch.qos.logback.classic.Level level;
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

  public LogCapture() {
    this("dev.reprise.model");
  }

  /** Captures what the logger {@code name} (and the loggers under it) logs. */
  public LogCapture(String name) {
    logger = (Logger) LoggerFactory.getLogger(name);
    level = logger.getLevel();
    // why: the tests' logback configuration may keep INFO quiet; the capture sees everything.
    logger.setLevel(ch.qos.logback.classic.Level.DEBUG);
    appender.start();
    logger.addAppender(appender);
  }

  public List<String> lines() {
    return appender.list.stream()
        .map(
            e ->
                e.getFormattedMessage()
                    + (e.getThrowableProxy() == null
                        ? ""
                        : " " + e.getThrowableProxy().getMessage()))
        .toList();
  }

  @Override
  public void close() {
    logger.detachAppender(appender);
    logger.setLevel(level);
  }
}
