package dev.reprise.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The key under which API keys are hashed. Taken from REPRISE_SERVER_SECRET when set (every node of
 * a cluster needs the same one), otherwise generated on first start and kept in the data dir as
 * {@code server.secret}.
 */
public final class ServerSecret {
  private final byte[] key;

  private ServerSecret(byte[] key) {
    this.key = key.clone();
  }

  public static ServerSecret of(String secret) {
    return new ServerSecret(secret.getBytes(StandardCharsets.UTF_8));
  }

  public static ServerSecret loadOrCreate(Path dataDir) {
    Path file = dataDir.resolve("server.secret");
    try {
      if (!Files.exists(file)) {
        create(file);
      }
      return of(Files.readString(file, StandardCharsets.UTF_8).trim());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create " + file, e);
    }
  }

  private static void create(Path file) throws IOException {
    byte[] random = new byte[48];
    new SecureRandom().nextBytes(random);
    String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    Path temp = Files.createTempFile(file.getParent(), "server.secret", ".tmp");
    try {
      Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // why: not every file system has POSIX permissions; the secret is still written.
    }
    Files.writeString(temp, secret, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
    try {
      // why: a CLI and a server starting together must end up with one secret, not two.
      Files.createLink(file, temp);
    } catch (FileAlreadyExistsException e) {
      // another process won the race; its secret is the one
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  byte[] key() {
    return key.clone();
  }

  /**
   * A key for one purpose, derived from the secret (HMAC-SHA256 of the purpose's name), so that
   * what one purpose signs cannot pass for another's.
   */
  public byte[] derive(String purpose) {
    try {
      javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
      mac.init(new javax.crypto.spec.SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(purpose.getBytes(StandardCharsets.UTF_8));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }
}
