package dev.reprise.model;

/** The wire protocol a provider speaks. */
public enum ProviderKind {
  /** OpenAI's Chat Completions API, spoken by OpenAI and by every OpenAI-compatible server. */
  OPENAI,
  /** Anthropic's Messages API. */
  ANTHROPIC
}
