package dev.reprise.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reprise.protocol.Json;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** JSON in and out of HTTP: bounded request bodies, typed responses, the error envelope. */
public final class HttpJson {
  private final Json json;
  private final int maxBodyBytes;

  public HttpJson(Json json, int maxBodyBytes) {
    this.json = json;
    this.maxBodyBytes = maxBodyBytes;
  }

  public Json json() {
    return json;
  }

  /**
   * The request body as a JSON object, whatever content type it came with: WorkflowChatTransport
   * sends JSON without one, so browsers label it text/plain.
   */
  public ObjectNode readObject(ServerRequest req) {
    byte[] body = readBody(req);
    if (body.length == 0) {
      throw ApiException.badRequest("Invalid JSON body: the body is empty");
    }
    return parseObject(body);
  }

  private ObjectNode parseObject(byte[] body) {
    JsonNode node;
    try {
      node = json.mapper().readTree(body);
    } catch (JsonProcessingException e) {
      throw ApiException.badRequest("Invalid JSON body");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (!(node instanceof ObjectNode object)) {
      throw ApiException.badRequest("Invalid JSON body: expected a JSON object");
    }
    return object;
  }

  /** The request body as a JSON object; an empty body is an empty object. */
  public ObjectNode readObjectOrEmpty(ServerRequest req) {
    if (!req.content().hasEntity()) {
      return json.mapper().createObjectNode();
    }
    byte[] body = readBody(req);
    return body.length == 0 ? json.mapper().createObjectNode() : parseObject(body);
  }

  private byte[] readBody(ServerRequest req) {
    // why: a declared length over the limit is refused before a byte of it is read.
    if (req.headers().contentLength().orElse(0) > maxBodyBytes) {
      throw ApiException.tooLarge("The request body is larger than " + maxBodyBytes + " bytes");
    }
    try (InputStream in = req.content().inputStream()) {
      byte[] body = in.readNBytes(maxBodyBytes + 1);
      if (body.length > maxBodyBytes) {
        throw ApiException.tooLarge("The request body is larger than " + maxBodyBytes + " bytes");
      }
      return body;
    } catch (IOException e) {
      throw ApiException.badRequest("The request body could not be read");
    } catch (IllegalArgumentException e) {
      // why: Helidon reports a chunk size that is not a hex number (ZZ, -1, too large) as a
      // NumberFormatException while the body is read; it is the client's malformed framing.
      throw ApiException.badRequest("The request body's chunked framing is malformed");
    }
  }

  public void send(ServerResponse res, int status, Object body) {
    res.status(Status.create(status));
    res.header(HeaderNames.CONTENT_TYPE, "application/json");
    sendBytes(res, json.writeBytes(body));
  }

  /** Sends {@code body}, or for a HEAD request only its headers (with the body's length). */
  static void sendBytes(ServerResponse res, byte[] body) {
    if (ExchangeFilter.isHead()) {
      // why: Helidon writes whatever entity it is given, even to a HEAD; a declared length and an
      // empty entity give the same headers as the GET, and no body.
      res.header(HeaderNames.CONTENT_LENGTH, Integer.toString(body.length));
      res.send();
    } else {
      res.send(body);
    }
  }

  public void sendError(ServerResponse res, ApiException e) {
    if (e.retryAfterSeconds() > 0) {
      res.header(HeaderNames.RETRY_AFTER, Long.toString(e.retryAfterSeconds()));
    }
    send(res, e.status(), ErrorBody.of(e));
  }
}
