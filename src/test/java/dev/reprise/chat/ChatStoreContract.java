package dev.reprise.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ChatStore} backend must do. Chats belong to accounts, so a backend's test also
 * says how to create an account in the same backend; it cleans up after itself.
 */
public abstract class ChatStoreContract {
  private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

  protected ChatStore chats;
  private String alice;

  /** A chat store with no chats in it, for one test. */
  protected abstract ChatStore createChatStore();

  /** Creates an account with that name in the chat store's backend and returns its id. */
  protected abstract String createAccount(String name);

  @BeforeEach
  void createStore() {
    chats = createChatStore();
    alice = createAccount("alice");
  }

  private static Instant at(int seconds) {
    return T0.plusSeconds(seconds);
  }

  private Chat newChat(String accountId, Instant updatedAt) {
    Chat chat =
        new Chat(UUID.randomUUID().toString(), accountId, "title", "offline", T0, updatedAt);
    assertThat(chats.create(chat)).isTrue();
    return chat;
  }

  private static StoredMessage message(String id, String body) {
    return new StoredMessage(id, "user", body);
  }

  private void append(Chat chat, String... ids) {
    for (String id : ids) {
      assertThat(chats.appendIfAbsent(chat.id(), message(id, "body of " + id), T0)).isTrue();
    }
  }

  private Object[] ids(Chat chat) {
    return chats.messages(chat.id()).stream().map(StoredMessage::id).toArray();
  }

  @Test
  void a_created_chat_reads_back_unchanged() {
    Chat chat = new Chat(UUID.randomUUID().toString(), alice, "Hello", "offline", T0, at(5));

    assertThat(chats.create(chat)).isTrue();

    assertThat(chats.find(chat.id())).contains(chat);
    assertThat(chats.find(UUID.randomUUID().toString())).isEmpty();
  }

  @Test
  void create_returns_false_when_the_id_exists_whoever_owns_it() {
    Chat chat = newChat(alice, T0);
    String bob = createAccount("bob");
    Chat impostor = new Chat(chat.id(), bob, "other title", "other", at(9), at(9));

    assertThat(chats.create(impostor)).isFalse();

    assertThat(chats.find(chat.id())).contains(chat);
  }

  @Test
  void list_by_account_returns_only_that_accounts_chats_most_recently_updated_first() {
    Chat old = newChat(alice, at(1));
    Chat newest = newChat(alice, at(3));
    Chat middle = newChat(alice, at(2));
    newChat(createAccount("bob"), at(4));

    assertThat(chats.listByAccount(alice))
        .extracting(Chat::id)
        .containsExactly(newest.id(), middle.id(), old.id());

    chats.touch(old.id(), at(5));
    assertThat(chats.listByAccount(alice))
        .extracting(Chat::id)
        .containsExactly(old.id(), newest.id(), middle.id());
  }

  @Test
  void touch_never_moves_updated_at_backwards() {
    Chat chat = newChat(alice, at(10));

    chats.touch(chat.id(), at(5));
    assertThat(chats.find(chat.id()).orElseThrow().updatedAt()).isEqualTo(at(10));

    chats.touch(chat.id(), at(20));
    assertThat(chats.find(chat.id()).orElseThrow().updatedAt()).isEqualTo(at(20));
  }

  @Test
  void append_if_absent_appends_in_order_and_ignores_a_known_id() {
    Chat chat = newChat(alice, T0);
    append(chat, "m1", "m2");

    assertThat(chats.appendIfAbsent(chat.id(), message("m1", "changed"), at(1))).isFalse();
    append(chat, "m3");

    assertThat(chats.messages(chat.id()))
        .containsExactly(
            message("m1", "body of m1"), message("m2", "body of m2"), message("m3", "body of m3"));
  }

  @Test
  void the_same_message_id_may_appear_in_two_chats() {
    Chat one = newChat(alice, T0);
    Chat two = newChat(alice, T0);
    append(one, "m1");

    assertThat(chats.appendIfAbsent(two.id(), message("m1", "in two"), T0)).isTrue();

    assertThat(chats.messages(two.id())).containsExactly(message("m1", "in two"));
    assertThat(chats.messages(one.id())).containsExactly(message("m1", "body of m1"));
  }

  @Test
  void upsert_replaces_a_message_where_it_stands_or_appends_a_new_one() {
    Chat chat = newChat(alice, T0);
    append(chat, "m1", "m2", "m3");

    chats.upsert(chat.id(), new StoredMessage("m2", "assistant", "replaced"), at(1));
    chats.upsert(chat.id(), new StoredMessage("m4", "assistant", "new"), at(2));

    assertThat(chats.messages(chat.id()))
        .containsExactly(
            message("m1", "body of m1"),
            new StoredMessage("m2", "assistant", "replaced"),
            message("m3", "body of m3"),
            new StoredMessage("m4", "assistant", "new"));
    assertThat(chats.find(chat.id()).orElseThrow().updatedAt()).isEqualTo(at(2));
  }

  @Test
  void delete_after_removes_only_the_messages_after_the_given_one() {
    Chat chat = newChat(alice, T0);
    Chat other = newChat(alice, T0);
    append(chat, "m1", "m2", "m3", "m4");
    append(other, "m1", "m2", "m3");

    chats.deleteAfter(chat.id(), "m2");
    assertThat(ids(chat)).containsExactly("m1", "m2");

    append(chat, "m3");
    assertThat(ids(chat)).containsExactly("m1", "m2", "m3");
    assertThat(ids(other)).containsExactly("m1", "m2", "m3");
  }

  @Test
  void delete_after_an_unknown_or_last_message_deletes_nothing() {
    Chat chat = newChat(alice, T0);
    append(chat, "m1", "m2");

    chats.deleteAfter(chat.id(), "unknown");
    chats.deleteAfter(chat.id(), "m2");

    assertThat(ids(chat)).containsExactly("m1", "m2");
  }

  @Test
  void delete_removes_the_chat_and_its_messages() {
    Chat chat = newChat(alice, T0);
    Chat kept = newChat(alice, T0);
    append(chat, "m1", "m2");
    append(kept, "k1");

    assertThat(chats.deleteIfIdle(chat.id())).contains(List.of());

    assertThat(chats.find(chat.id())).isEmpty();
    assertThat(chats.messages(chat.id())).isEmpty();
    assertThat(chats.listByAccount(alice)).extracting(Chat::id).containsExactly(kept.id());
    assertThat(ids(kept)).containsExactly("k1");
    assertThat(chats.create(chat)).isTrue();
    assertThat(chats.messages(chat.id())).isEmpty();
  }

  @Test
  void edit_changes_only_what_it_is_given() {
    String account = createAccount("alice");
    Instant t0 = Instant.parse("2025-01-01T00:00:00Z");
    Chat chat = new Chat(java.util.UUID.randomUUID().toString(), account, "old", "offline", t0, t0);
    chats.create(chat);

    chats.edit(
        chat.id(),
        java.util.Optional.of("new title"),
        java.util.Optional.empty(),
        t0.plusSeconds(5));
    chats.edit(
        chat.id(),
        java.util.Optional.empty(),
        java.util.Optional.of("openai/x"),
        t0.plusSeconds(9));

    Chat updated = chats.find(chat.id()).orElseThrow();
    assertThat(updated.title()).isEqualTo("new title");
    assertThat(updated.model()).isEqualTo("openai/x");
    assertThat(updated.updatedAt()).isEqualTo(t0.plusSeconds(9));
    assertThat(updated.createdAt()).isEqualTo(t0);
  }
}
