package dev.reprise.http;

import java.io.IOException;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The socket of the connection whose requests the current thread answers. Helidon gives a handler
 * no way to its connection's socket, and reprise needs one to reset the connection of a reader that
 * stopped reading ({@link WriteWatchdog}). A socket is noted when it is accepted and claimed by the
 * connection's own thread, which answers every request of that connection.
 */
final class ConnectionSockets {
  private static final ThreadLocal<SocketChannel> CURRENT = new ThreadLocal<>();

  private final Map<Ends, SocketChannel> unclaimed = new ConcurrentHashMap<>();
  private volatile int pruneAt = 64;

  private record Ends(SocketAddress local, SocketAddress remote) {}

  /** Notes a socket just accepted, until its connection's thread claims it. */
  void accepted(SocketChannel channel) throws IOException {
    unclaimed.put(new Ends(channel.getLocalAddress(), channel.getRemoteAddress()), channel);
    // why: a connection that closes before its first request is never claimed; dropping the closed
    // ones each time the map has doubled keeps it small at a constant cost per connection.
    if (unclaimed.size() > pruneAt) {
      unclaimed.values().removeIf(c -> !c.isOpen());
      pruneAt = Math.max(64, 2 * unclaimed.size());
    }
  }

  /**
   * Makes the socket between these ends the calling thread's; called on the connection's thread.
   */
  void claim(SocketAddress local, SocketAddress remote) {
    SocketChannel channel = unclaimed.remove(new Ends(local, remote));
    if (channel == null) {
      CURRENT.remove();
    } else {
      CURRENT.set(channel);
    }
  }

  /** How many accepted sockets wait to be claimed (for tests). */
  int unclaimed() {
    return unclaimed.size();
  }

  /** The socket of the connection that the calling thread answers, if it claimed one. */
  static Optional<SocketChannel> current() {
    return Optional.ofNullable(CURRENT.get());
  }

  /**
   * Makes the socket's close a reset: the kernel drops whatever is still queued for the peer
   * instead of sending it, and the peer learns at once that the connection is gone.
   */
  static void resetOnClose(SocketChannel channel) {
    try {
      channel.setOption(StandardSocketOptions.SO_LINGER, 0);
    } catch (IOException e) {
      // already closed: nothing is left to drop
    }
  }
}
