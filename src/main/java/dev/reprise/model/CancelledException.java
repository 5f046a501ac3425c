package dev.reprise.model;

/** The run was stopped while the model was working. */
public final class CancelledException extends Exception {
  private static final long serialVersionUID = 1L;

  public CancelledException() {
    super("cancelled");
  }
}
