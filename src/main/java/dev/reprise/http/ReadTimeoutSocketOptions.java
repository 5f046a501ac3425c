package dev.reprise.http;

import io.helidon.common.socket.SocketOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketOption;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Helidon's socket options plus a read timeout on every accepted connection. Helidon 4.5.0 applies
 * only the option map to an accepted channel and never its {@code readTimeout}, so a client that
 * stops sending holds its connection (and a virtual thread) until the kernel gives up. Each
 * accepted socket is also noted in {@code sockets}, for its connection's thread to claim.
 */
record ReadTimeoutSocketOptions(
    SocketOptions options, Duration readTimeout, ConnectionSockets sockets)
    implements SocketOptions {

  @Override
  public void configureSocket(SocketChannel channel) {
    options.configureSocket(channel);
    try {
      // why: Helidon reads through the channel's socket adaptor, whose streams honour SO_TIMEOUT.
      channel.socket().setSoTimeout(Math.toIntExact(readTimeout.toMillis()));
      sockets.accepted(channel);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public Map<SocketOption<?>, Object> socketOptions() {
    return options.socketOptions();
  }

  @Override
  public Duration connectTimeout() {
    return options.connectTimeout();
  }

  @Override
  public Optional<Integer> socketReceiveBufferSize() {
    return options.socketReceiveBufferSize();
  }

  @Override
  public Optional<Integer> socketSendBufferSize() {
    return options.socketSendBufferSize();
  }

  @Override
  public boolean socketReuseAddress() {
    return options.socketReuseAddress();
  }

  @Override
  public boolean socketKeepAlive() {
    return options.socketKeepAlive();
  }

  @Override
  public boolean tcpNoDelay() {
    return options.tcpNoDelay();
  }
}
