package dev.reprise.run;

import java.security.SecureRandom;
import java.time.Clock;

/**
 * Time-ordered, unguessable ids (ULIDs: 48-bit millisecond time + 80 random bits, Crockford
 * base32).
 */
public final class Ids {
  private static final char[] CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();

  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  public Ids(Clock clock) {
    this.clock = clock;
  }

  public String runId() {
    return "wrun_" + ulid();
  }

  public String messageId() {
    return "msg_" + ulid();
  }

  public String ulid() {
    long time = clock.millis();
    byte[] entropy = new byte[10];
    random.nextBytes(entropy);
    char[] out = new char[26];
    for (int i = 9; i >= 0; i--) {
      out[i] = CROCKFORD[(int) (time & 31)];
      time >>>= 5;
    }
    long high = 0;
    for (int i = 0; i < 5; i++) {
      high = (high << 8) | (entropy[i] & 0xff);
    }
    long low = 0;
    for (int i = 5; i < 10; i++) {
      low = (low << 8) | (entropy[i] & 0xff);
    }
    for (int i = 17; i >= 10; i--) {
      out[i] = CROCKFORD[(int) (high & 31)];
      high >>>= 5;
    }
    for (int i = 25; i >= 18; i--) {
      out[i] = CROCKFORD[(int) (low & 31)];
      low >>>= 5;
    }
    return new String(out);
  }

  public static boolean isRunId(String value) {
    return value != null && value.matches("wrun_[0-9A-HJKMNP-TV-Z]{26}");
  }
}
