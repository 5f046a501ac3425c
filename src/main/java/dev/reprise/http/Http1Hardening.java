package dev.reprise.http;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.buffers.DataListener;
import io.helidon.common.buffers.DataReader;
import io.helidon.common.buffers.DataWriter;
import io.helidon.common.buffers.LazyString;
import io.helidon.common.socket.HelidonSocket;
import io.helidon.common.socket.PeerInfo;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.ListenerContext;
import io.helidon.webserver.ProxyProtocolData;
import io.helidon.webserver.Router;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.http1.Http1ConnectionSelector;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.webserver.spi.ServerConnectionSelector;
import java.nio.charset.Charset;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.regex.Pattern;

/**
 * Helidon's HTTP/1 connections, with the request bytes read through {@link ChunkLines}: Helidon
 * 4.5.0 reads a chunk-size line as a bare hex number, so a legal chunk extension ({@code f;a=b})
 * fails the request. Registered ahead of Helidon's own HTTP/1 selector, so it takes every HTTP/1
 * connection; the connection's thread claims its socket from {@link ConnectionSockets} here.
 */
final class Http1Hardening implements ServerConnectionSelector {
  private final ServerConnectionSelector http1;
  private final ConnectionSockets sockets;

  Http1Hardening(Http1Config config, ConnectionSockets sockets) {
    this.http1 = Http1ConnectionSelector.builder().config(config).build();
    this.sockets = sockets;
  }

  @Override
  public int bytesToIdentifyConnection() {
    return http1.bytesToIdentifyConnection();
  }

  @Override
  public Support supports(BufferData data) {
    return http1.supports(data);
  }

  @Override
  public Set<String> supportedApplicationProtocols() {
    return http1.supportedApplicationProtocols();
  }

  @Override
  public ServerConnection connection(ConnectionContext ctx) {
    // why: Helidon calls this on the thread that then answers every request of the connection.
    sockets.claim(ctx.localPeer().address(), ctx.remotePeer().address());
    return http1.connection(new Context(ctx, new ChunkLines(ctx.dataReader())));
  }

  /** The connection's context, with its reader replaced. */
  private record Context(ConnectionContext ctx, DataReader reader) implements ConnectionContext {
    @Override
    public ListenerContext listenerContext() {
      return ctx.listenerContext();
    }

    @Override
    public ExecutorService executor() {
      return ctx.executor();
    }

    @Override
    public DataWriter dataWriter() {
      return ctx.dataWriter();
    }

    @Override
    public DataReader dataReader() {
      return reader;
    }

    @Override
    public Router router() {
      return ctx.router();
    }

    @Override
    public Optional<ProxyProtocolData> proxyProtocolData() {
      return ctx.proxyProtocolData();
    }

    @Override
    public HelidonSocket serverSocket() {
      return ctx.serverSocket();
    }

    @Override
    public PeerInfo remotePeer() {
      return ctx.remotePeer();
    }

    @Override
    public PeerInfo localPeer() {
      return ctx.localPeer();
    }

    @Override
    public boolean isSecure() {
      return ctx.isSecure();
    }

    @Override
    public String socketId() {
      return ctx.socketId();
    }

    @Override
    public String childSocketId() {
      return ctx.childSocketId();
    }
  }

  /**
   * The connection's reader, unchanged except for {@link #readLine}, which Helidon's HTTP/1 code
   * uses only for the lines of a chunked body: a chunk-size line loses its extensions.
   */
  static final class ChunkLines extends DataReader {
    private static final Pattern EXTENSION = Pattern.compile("^([0-9A-Fa-f]+)[ \\t]*;.*$");

    private final DataReader reader;

    // why: DataReader has no constructor that is not marked for removal; this one only satisfies
    // the superclass, every method reads through the delegate.
    @SuppressWarnings("removal")
    ChunkLines(DataReader reader) {
      super(
          () -> {
            throw new IllegalStateException("ChunkLines reads through its delegate only");
          },
          false);
      this.reader = reader;
    }

    /** A chunk-size line without its extensions ({@code f;a=b} is {@code f}). */
    static String withoutExtensions(String line) {
      var matcher = EXTENSION.matcher(line);
      return matcher.matches() ? matcher.group(1) : line;
    }

    @Override
    public String readLine() throws IncorrectNewLineException {
      return withoutExtensions(reader.readLine());
    }

    @Override
    public int available() {
      return reader.available();
    }

    @Override
    public void pullData() {
      reader.pullData();
    }

    @Override
    public void skip(int length) {
      reader.skip(length);
    }

    @Override
    public void ensureAvailable() {
      reader.ensureAvailable();
    }

    @Override
    public byte read() {
      return reader.read();
    }

    @Override
    public byte lookup() {
      return reader.lookup();
    }

    @Override
    public boolean startsWithNewLine() {
      return reader.startsWithNewLine();
    }

    @Override
    public boolean startsWith(byte[] prefix) {
      return reader.startsWith(prefix);
    }

    @Override
    public BufferData readBuffer() {
      return reader.readBuffer();
    }

    @Override
    public BufferData readBuffer(int length) {
      return reader.readBuffer(length);
    }

    @Override
    public BufferData getBuffer(int length) {
      return reader.getBuffer(length);
    }

    @Override
    public LazyString readLazyString(Charset charset, int length) {
      return reader.readLazyString(charset, length);
    }

    @Override
    public String readAsciiString(int length) {
      return reader.readAsciiString(length);
    }

    @Override
    public byte[] readBytes(int length) {
      return reader.readBytes(length);
    }

    @Override
    public int findOrNewLine(byte b, int max) throws IncorrectNewLineException {
      return reader.findOrNewLine(b, max);
    }

    @Override
    public String debugDataHex() {
      return reader.debugDataHex();
    }

    @Override
    public int findNewLine(int max) throws IncorrectNewLineException {
      return reader.findNewLine(max);
    }

    @Override
    public <T> void listener(DataListener<T> listener, T context) {
      reader.listener(listener, context);
    }
  }
}
