package dev.reprise.app;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * Whether the node can listen where it is told to. Checked before it touches its data: the web
 * server would otherwise report a taken port only in a stack trace, after crash recovery.
 */
final class Ports {
  private Ports() {}

  /**
   * Throws when nothing could listen on {@code host:port} now; {@code setting} says what to set.
   */
  static void requireFree(String host, int port, String setting) {
    if (port == 0) {
      return;
    }
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(host, port), 1);
    } catch (BindException e) {
      if (String.valueOf(e.getMessage()).contains("in use")) {
        throw new StartupException("port " + port + " is already in use; set " + setting);
      }
      throw cannotListen(host, port, setting, e);
    } catch (IOException e) {
      throw cannotListen(host, port, setting, e);
    }
  }

  private static StartupException cannotListen(
      String host, int port, String setting, IOException e) {
    return new StartupException(
        "cannot listen on "
            + host
            + ":"
            + port
            + " ("
            + e.getMessage()
            + "); check REPRISE_HOST, or set "
            + setting);
  }
}
