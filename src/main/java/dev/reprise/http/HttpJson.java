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
    }
  }

  public void send(ServerResponse res, int status, Object body) {
    res.status(Status.create(status));
    res.header(HeaderNames.CONTENT_TYPE, "application/json");
    res.send(json.writeBytes(body));
  }

  public void sendError(ServerResponse res, ApiException e) {
    if (e.retryAfterSeconds() > 0) {
      res.header(HeaderNames.RETRY_AFTER, Long.toString(e.retryAfterSeconds()));
    }
    send(res, e.status(), ErrorBody.of(e));
  }
}
