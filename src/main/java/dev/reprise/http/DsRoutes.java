package dev.reprise.http;

import dev.reprise.conversation.Conversations;
import dev.reprise.conversation.Outcome;
import dev.reprise.durable.Capabilities;
import dev.reprise.durable.Capability.Scope;
import dev.reprise.durable.DsAppend;
import dev.reprise.durable.DsAppended;
import dev.reprise.durable.DsException;
import dev.reprise.durable.DsHeaders;
import dev.reprise.durable.DsLimits;
import dev.reprise.durable.DsMeta;
import dev.reprise.durable.DsOffset;
import dev.reprise.durable.DsView;
import dev.reprise.durable.DsWriter;
import dev.reprise.durable.DurableStreams;
import dev.reprise.run.Run;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.net.URI;

/**
 * The Durable Streams protocol under {@code /ds}: an account's streams at {@code
 * /ds/v1/stream/{path}}, chat runs' streams (read-only, JSON) at {@code /ds/v1/runs/{runId}}, and
 * both again behind a capability token at {@code /ds/cap/{token}/...}.
 */
final class DsRoutes implements HttpService {
  static final String PREFIX = "/ds";
  private static final String CAP = PREFIX + "/cap/";
  private static final String STREAMS = "/v1/stream/";
  private static final String RUNS = "/v1/runs/";

  private final Authenticator auth;
  private final HttpJson http;
  private final Capabilities capabilities;
  private final DurableStreams streams;
  private final DsWriter writer;
  private final DsReadResponder reads;
  private final Conversations conversations;
  private final DsLimits limits;

  DsRoutes(
      Authenticator auth,
      HttpJson http,
      Capabilities capabilities,
      DurableStreams streams,
      DsWriter writer,
      DsReadResponder reads,
      Conversations conversations,
      DsLimits limits) {
    this.auth = auth;
    this.http = http;
    this.capabilities = capabilities;
    this.streams = streams;
    this.writer = writer;
    this.reads = reads;
    this.conversations = conversations;
    this.limits = limits;
  }

  @Override
  public void routing(HttpRules rules) {
    rules.any(PREFIX + "/*", this::handle);
  }

  /** Where a request goes: whose it is, and which stream or run it names. */
  private record Target(DsAccess access, String streamPath, String runId) {}

  private void handle(ServerRequest req, ServerResponse res) {
    DsResponses.securityHeaders(res);
    try {
      Target target = target(req);
      if (target.runId() != null) {
        readRun(req, res, target);
      } else {
        stream(req, res, target);
      }
    } catch (DsException e) {
      DsResponses.refuse(http, res, e);
    }
  }

  private Target target(ServerRequest req) {
    String path = req.path().path();
    DsAccess access;
    String rest;
    if (path.startsWith(CAP)) {
      int slash = path.indexOf('/', CAP.length());
      if (slash < 0) {
        throw DsException.notFound();
      }
      access = DsAccess.of(capabilities, path.substring(CAP.length(), slash));
      rest = path.substring(slash);
    } else {
      rest = path.substring(PREFIX.length());
      access = null;
    }
    if (rest.startsWith(STREAMS)) {
      DsAccess who = access != null ? access : DsAccess.authenticate(auth, req);
      return new Target(who, DsRequests.streamPath(rest), null);
    }
    if (rest.startsWith(RUNS) && rest.length() > RUNS.length()) {
      String runId = rest.substring(RUNS.length());
      DsAccess who = access != null ? access : DsAccess.authenticate(auth, req);
      if (who.runId() != null && !who.runId().equals(runId)) {
        throw new DsException(403, "this capability reads another run", java.util.Map.of());
      }
      return new Target(who, null, runId);
    }
    throw DsException.notFound();
  }

  private void stream(ServerRequest req, ServerResponse res, Target target) {
    Method method = req.prologue().method();
    String account = target.access().accountId();
    String path = target.streamPath();
    if (method == Method.PUT) {
      target.access().require(Scope.MANAGE);
      create(req, res, account, path);
    } else if (method == Method.POST) {
      target.access().require(Scope.APPEND);
      append(req, res, account, path);
    } else if (method == Method.DELETE) {
      target.access().require(Scope.MANAGE);
      streams.delete(account, path);
      res.status(Status.NO_CONTENT_204).send();
    } else if (method == Method.HEAD) {
      target.access().require(Scope.READ);
      DurableStreams.Head head = streams.head(account, path);
      DsResponses.head(res, head.meta(), head.next());
    } else if (method == Method.GET) {
      target.access().require(Scope.READ);
      DsMeta meta = streams.live(DurableStreams.key(account, path));
      streams.touch(meta);
      reads.read(req, res, DsView.of(meta), path, () -> streams.touch(meta));
    } else {
      res.header(HeaderNames.ALLOW, "GET, HEAD, POST, PUT, DELETE, OPTIONS");
      throw new DsException(405, "method not allowed", java.util.Map.of());
    }
  }

  private void create(ServerRequest req, ServerResponse res, String account, String path) {
    byte[] body = DsRequests.body(req, limits.maxAppendBytes());
    DurableStreams.Created created = streams.create(account, path, DsRequests.create(req, body));
    res.header(HeaderNames.CONTENT_TYPE, created.meta().contentType());
    res.header(DsHeaders.NEXT_OFFSET, DsOffset.of(created.next()));
    if (created.meta().closed()) {
      res.header(DsHeaders.STREAM_CLOSED, "true");
    }
    if (created.isNew()) {
      res.header(HeaderNames.LOCATION, location(req));
    }
    res.status(created.isNew() ? Status.CREATED_201 : Status.OK_200).send();
  }

  private void append(ServerRequest req, ServerResponse res, String account, String path) {
    boolean close = DsRequests.closes(req);
    var producer = DsRequests.producer(req);
    byte[] body = DsRequests.body(req, limits.maxAppendBytes());
    String contentType = DsRequests.contentType(req);
    if (body.length == 0 && !close) {
      throw DsException.badRequest("an append needs a body (or Stream-Closed: true)");
    }
    if (body.length > 0 && contentType == null) {
      throw DsException.badRequest("an append needs a Content-Type");
    }
    String seq = DsRequests.header(req, DsHeaders.SEQ).orElse(null);
    DsAppended done =
        writer.append(
            account, path, new DsAppend(contentType, body, close, seq, producer.orElse(null)));
    res.header(DsHeaders.NEXT_OFFSET, DsOffset.of(done.next()));
    if (done.closed()) {
      res.header(DsHeaders.STREAM_CLOSED, "true");
    }
    producer.ifPresent(
        p -> {
          res.header(DsHeaders.PRODUCER_EPOCH, Long.toString(p.epoch()));
          res.header(DsHeaders.PRODUCER_SEQ, Long.toString(done.producerSeq()));
        });
    boolean accepted = producer.isPresent() && !done.duplicate() && body.length > 0;
    res.status(accepted ? Status.OK_200 : Status.NO_CONTENT_204).send();
  }

  private void readRun(ServerRequest req, ServerResponse res, Target target) {
    Method method = req.prologue().method();
    if (method != Method.GET && method != Method.HEAD) {
      res.header(HeaderNames.ALLOW, "GET, HEAD, OPTIONS");
      throw new DsException(405, "a run's stream is read-only", java.util.Map.of());
    }
    Run run =
        switch (conversations.run(target.access().accountId(), target.runId())) {
          case Outcome.Done<Run>(Run found) -> found;
          case Outcome.Refused<Run> refused -> throw DsException.notFound();
        };
    DsView view = DsView.ofRun(run.id());
    if (method == Method.HEAD) {
      reads.headRun(res, view);
      return;
    }
    reads.read(req, res, view, "runs/" + run.id(), () -> {});
  }

  /** The created stream's URL, as the client named it. */
  private static String location(ServerRequest req) {
    URI uri = req.requestedUri().toUri();
    return uri.getScheme() + "://" + uri.getRawAuthority() + uri.getRawPath();
  }
}
