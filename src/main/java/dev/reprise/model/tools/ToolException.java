package dev.reprise.model.tools;

/** A tool failed. The message is shown to the user and to the model: no secrets, no traces. */
public final class ToolException extends Exception {
  private static final long serialVersionUID = 1L;

  public ToolException(String message) {
    super(message);
  }
}
