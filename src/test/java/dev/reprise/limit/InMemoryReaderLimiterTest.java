package dev.reprise.limit;

class InMemoryReaderLimiterTest extends ReaderLimiterContract {
  @Override
  protected ReaderLimiter createLimiter() {
    return new InMemoryReaderLimiter();
  }
}
