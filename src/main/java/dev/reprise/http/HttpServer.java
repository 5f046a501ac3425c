package dev.reprise.http;

import dev.reprise.config.HttpConfig;
import dev.reprise.config.MetricsConfig;
import dev.reprise.conversation.Conversations;
import dev.reprise.durable.Durable;
import dev.reprise.model.ModelRegistry;
import dev.reprise.stream.StreamReader;
import dev.reprise.web.WebAssets;
import io.helidon.common.socket.SocketOptions;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http1.Http1Config;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** The Helidon web server with reprise's routes, CORS and error envelope. */
public final class HttpServer implements AutoCloseable {
  private static final String METRICS_SOCKET = "metrics";

  private final WebServer server;
  private final WriteWatchdog watchdog;

  private HttpServer(WebServer server, WriteWatchdog watchdog) {
    this.server = server;
    this.watchdog = watchdog;
  }

  /** What the routes work with. */
  public record Parts(
      Authenticator auth,
      HttpJson http,
      Conversations conversations,
      ModelRegistry models,
      StreamReader reader,
      Supplier<Health> health,
      java.time.Clock clock,
      AccountParts accounts,
      WebAssets web,
      Observability observability,
      java.util.Optional<Durable> durable) {}

  /** Builds the routes and starts the server; port 0 picks a free one. */
  public static HttpServer start(String host, int port, HttpConfig config, Parts p) {
    WriteWatchdog watchdog = new WriteWatchdog(p.accounts().limits().streamWriteTimeout());
    StreamResponder streams = new StreamResponder(p.reader(), watchdog);
    MeterRegistry meters = p.observability().meters();
    FunctionCounter.builder("reprise.readers.cut", watchdog, WriteWatchdog::cutOff)
        .description("Streams cut off because their reader stopped reading (a stuck write)")
        .register(meters);
    ReaderSlots readers =
        new ReaderSlots(p.accounts().readers(), p.accounts().limits().streamReaders());
    java.util.Optional<DsPointers> pointers =
        p.durable()
            .map(d -> new DsPointers(d.capabilities(), p.clock(), d.maxCapabilityLifetime()));
    List<HttpService> services =
        List.of(
            new SystemRoutes(p.http(), p.health()),
            new RunRoutes(p.auth(), p.http(), p.conversations(), p.accounts().limits()),
            new ChatRoutes(
                p.auth(),
                p.http(),
                p.conversations(),
                streams,
                p.accounts().limits(),
                readers,
                new StreamMetrics(meters),
                pointers,
                setupGate(config.resumeConcurrency(), meters)),
            new KeysRoutes(
                p.auth(), p.http(), p.accounts().keys(), p.accounts().accounts(), p.clock()),
            new ChatsRoutes(p.auth(), p.http(), p.conversations()),
            new ModelRoutes(p.auth(), p.http(), p.models()),
            new WebRoutes(p.web()));
    MetricsConfig metrics = p.observability().config();
    List<HttpService> api = new ArrayList<>(services);
    p.durable().ifPresent(d -> api.addAll(durableRoutes(p, d, watchdog)));
    if (metrics.enabled() && metrics.port().isEmpty()) {
      api.add(new MetricsRoutes(p.http(), p.observability()));
    }
    WebServer server = start(host, port, config, p, api);
    return new HttpServer(server, watchdog);
  }

  private static SetupGate setupGate(int concurrency, MeterRegistry meters) {
    SetupGate gate = new SetupGate(concurrency);
    Gauge.builder("reprise.resume.setup.waiting", gate, SetupGate::waiting)
        .description("Resumes waiting for their turn to set up their stream")
        .register(meters);
    Gauge.builder("reprise.resume.setup.busy", gate, SetupGate::busy)
        .description(
            "Resumes setting up their stream now (at most REPRISE_HTTP_RESUME_CONCURRENCY)")
        .register(meters);
    return gate;
  }

  private static List<HttpService> durableRoutes(Parts p, Durable d, WriteWatchdog watchdog) {
    return List.of(
        new DsRoutes(
            p.auth(),
            p.http(),
            d.capabilities(),
            d.streams(),
            d.writer(),
            new DsReadResponder(d.reader(), d.cursors(), d.limits(), watchdog),
            p.conversations(),
            d.limits()),
        new CapabilityRoutes(
            p.auth(), p.http(), d.capabilities(), p.clock(), d.maxCapabilityLifetime()));
  }

  private static WebServer start(
      String host, int port, HttpConfig config, Parts p, List<HttpService> services) {
    HttpJson http = p.http();
    ErrorResponder errors = new ErrorResponder(http);
    ConnectionSockets sockets = new ConnectionSockets();
    HttpRouting.Builder routing = HttpRouting.builder();
    routing
        // why: outside the error envelope's filter, so that it sees the status the client got.
        .addFilter(new RequestObserver(p.observability()))
        .addFilter(new ExchangeFilter(errors))
        .addFilter(new Cors());
    routing.options(Cors::preflight);
    KnownRoutes known = new KnownRoutes();
    services.forEach(service -> routing.register(known.record(service)));
    routing.register(WebRoutes.topLevelFiles(p.web()));
    routing.any(new Unrouted(known, http));
    // why: ExchangeFilter answers errors first; these cover whatever escapes it.
    routing.error(Exception.class, errors::respond);
    WebServerConfig.Builder builder =
        WebServer.builder()
            .host(host)
            .port(port)
            .maxPayloadSize(-1)
            // why: a connection holding an open stream is mostly idle; Helidon's NIO socket keeps
            // two 8 KiB buffers per connection where the plain socket keeps one. Plain sockets on
            // virtual threads are as cheap to block on, and an interrupt still closes them.
            .useNio(false)
            // why: a chunk is one small write that a reader waits for; Nagle's algorithm would hold
            // it back until the previous one is acknowledged (Node's HTTP server sets it too).
            // A read timeout bounds each wait for a client's bytes (request line, headers, body,
            // the next request on a kept-alive connection).
            .connectionOptions(
                new ReadTimeoutSocketOptions(
                    SocketOptions.builder().tcpNoDelay(true).build(),
                    config.readTimeout(),
                    sockets))
            // why: a request line trickled in byte by byte stays under the read timeout; Helidon's
            // idle check closes a connection that has waited this long for its request line. A
            // response being written is not cut: the connection only closes once it is sent.
            .idleConnectionTimeout(config.idleTimeout())
            .idleConnectionPeriod(config.idleTimeout().dividedBy(10))
            // why: only streams use the response output stream, and SseResponse hands it whole
            // events, so a write passes through instead of being copied into a 4 KiB buffer that
            // every open stream would keep.
            .writeBufferSize(SseResponse.SMALLEST_WRITE)
            // why: reprise drains its runs before the server stops; Helidon's own hook would cut
            // every open stream at the first signal.
            .shutdownHook(false)
            // why: Helidon's own refusals (malformed request line or headers) get the envelope too.
            .directHandlers(d -> EnvelopeDirectHandler.register(d, http))
            // why: Helidon 4.5.0 refuses chunk extensions; this selector reads them (see the
            // class).
            .addConnectionSelector(new Http1Hardening(Http1Config.create(), sockets))
            .addRouting(routing);
    MetricsConfig metrics = p.observability().config();
    if (metrics.enabled() && metrics.port().isPresent()) {
      MetricsRoutes scrape = new MetricsRoutes(http, p.observability());
      builder.putSocket(
          METRICS_SOCKET,
          socket ->
              socket
                  .host(host)
                  .port(metrics.port().getAsInt())
                  .routing(r -> r.register(scrape).any((req, res) -> notFound(http, res))));
    }
    WebServer server = builder.build().start();
    // why: Helidon logs a listener that failed to bind and returns a server that is not running.
    if (!server.isRunning()) {
      server.stop();
      throw new IllegalStateException(
          "the HTTP server could not listen on " + host + ":" + port + " (see the log above)");
    }
    return server;
  }

  private static void notFound(HttpJson http, io.helidon.webserver.http.ServerResponse res) {
    http.sendError(res, ApiException.notFound("Not found"));
  }

  /** The port of the metrics listener, when it has one of its own. */
  public java.util.OptionalInt metricsPort() {
    int metrics = server.port(METRICS_SOCKET);
    return metrics > 0 ? java.util.OptionalInt.of(metrics) : java.util.OptionalInt.empty();
  }

  public int port() {
    return server.port();
  }

  @Override
  public void close() {
    server.stop();
    watchdog.close();
  }
}
