package dev.reprise.model.agent;

import dev.langchain4j.http.client.HttpClientBuilder;
import dev.langchain4j.http.client.sse.ServerSentEvent;
import dev.langchain4j.model.chat.StreamingChatModel;
import java.util.List;

/** A configured provider, able to open LangChain4j streaming models for its model names. */
public interface Provider {

  /** The provider's name: the prefix of its model ids. */
  String name();

  /** The HTTP client shared by this provider's calls (connections are pooled across calls). */
  java.net.http.HttpClient http();

  /** A model for a single call, whose HTTP goes through {@code transport}. */
  StreamingChatModel open(String modelName, HttpClientBuilder transport);

  /** Reads, for one call, the stream events that LangChain4j does not map itself. */
  UnmappedReader unmappedReader();

  /** Stateful per call: it may count events, e.g. to index tool calls as LangChain4j does. */
  @FunctionalInterface
  interface UnmappedReader {
    List<StreamEvent> read(ServerSentEvent event);
  }
}
