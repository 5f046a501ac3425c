package dev.reprise.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ConnectionSocketsTest {
  private final ConnectionSockets sockets = new ConnectionSockets();
  private final List<SocketChannel> opened = new ArrayList<>();
  private ServerSocketChannel server;

  @AfterEach
  void close() throws Exception {
    for (SocketChannel channel : opened) {
      channel.close();
    }
    if (server != null) {
      server.close();
    }
  }

  /** Connects to a loopback server; returns the server's end, noted as accepted. */
  private SocketChannel accept() throws Exception {
    if (server == null) {
      server =
          ServerSocketChannel.open()
              .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }
    opened.add(SocketChannel.open(server.getLocalAddress()));
    SocketChannel accepted = server.accept();
    opened.add(accepted);
    sockets.accepted(accepted);
    return accepted;
  }

  @Test
  void the_thread_that_claims_a_socket_gets_it_and_no_other_thread_does() throws Exception {
    SocketChannel accepted = accept();
    CompletableFuture<Optional<SocketChannel>> other = new CompletableFuture<>();

    Thread.ofVirtual()
        .start(
            () -> {
              sockets.claim(
                  accepted.socket().getLocalSocketAddress(),
                  accepted.socket().getRemoteSocketAddress());
              other.complete(ConnectionSockets.current());
            })
        .join();

    assertThat(other.get()).containsSame(accepted);
    assertThat(ConnectionSockets.current()).isEmpty();
    assertThat(sockets.unclaimed()).isZero();
  }

  @Test
  void sockets_closed_before_they_were_claimed_are_dropped() throws Exception {
    for (int i = 0; i < 200; i++) {
      accept().close();
    }

    assertThat(sockets.unclaimed()).isLessThan(100);
  }
}
