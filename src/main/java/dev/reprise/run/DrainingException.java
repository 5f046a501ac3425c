package dev.reprise.run;

/** This node is shutting down and starts no new run; the client should retry (on another node). */
public final class DrainingException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DrainingException() {
    super("the server is shutting down");
  }
}
