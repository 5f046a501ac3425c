package dev.reprise.stream;

/**
 * Brings into this node's hub the chunks of streams that are written on other nodes. One feed
 * serves all of the node's readers of all streams: readers never open their own connection to the
 * shared log.
 */
public interface RemoteFeed extends AutoCloseable {

  /**
   * Starts filling {@code mirror} with its stream's chunks from what it holds on ({@code
   * mirror.next()}), until it closes.
   */
  void watch(LiveStream mirror);

  /** Stops filling {@code mirror} (it was dropped from the hub, or this node writes it now). */
  void unwatch(LiveStream mirror);

  @Override
  void close();
}
