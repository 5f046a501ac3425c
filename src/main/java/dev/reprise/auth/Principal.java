package dev.reprise.auth;

/**
 * The authenticated caller of a request: its account, and the API key it used ({@code null} when it
 * came with a JWT).
 */
public record Principal(String accountId, String keyId) {

  public static Principal ofJwt(String accountId) {
    return new Principal(accountId, null);
  }
}
