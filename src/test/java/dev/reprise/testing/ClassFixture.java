package dev.reprise.testing;

import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Something a test class shares, started before its first test and closed after its last:
 *
 * <pre>
 * {@code @RegisterExtension
 * static final ClassFixture<JwksServer> JWKS = ClassFixture.of(() -> JwksServer.start(key));}
 * </pre>
 *
 * <p>{@link ServerExtension} is one, and starts the fixtures a server needs (an identity provider)
 * before it.
 */
public class ClassFixture<T extends AutoCloseable> implements BeforeAllCallback, AfterAllCallback {
  private final Supplier<T> start;
  private T value;

  protected ClassFixture(Supplier<T> start) {
    this.start = start;
  }

  public static <T extends AutoCloseable> ClassFixture<T> of(Supplier<T> start) {
    return new ClassFixture<>(start);
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    value = start.get();
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    if (value != null) {
      value.close();
      value = null;
    }
  }

  /** The started fixture. */
  public T get() {
    if (value == null) {
      throw new IllegalStateException("a class fixture starts before the class's first test");
    }
    return value;
  }
}
