package dev.reprise.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reprise.protocol.Json;
import dev.reprise.storage.sql.SqlAccountStore;
import dev.reprise.storage.sql.SqlChatStore;
import dev.reprise.storage.sqlite.SqliteDatabase;
import dev.reprise.storage.sqlite.TempSqlite;
import dev.reprise.testing.SettableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class ChatServiceTest {
  @TempDir Path dir;
  @RegisterExtension final TempSqlite sqlite = new TempSqlite();

  private final SettableClock clock = SettableClock.at("2025-01-01T00:00:00Z");
  private final Json json = new Json();

  private static int codePoints(String text) {
    return text.codePointCount(0, text.length());
  }

  @Test
  void a_title_is_the_text_trimmed() {
    assertThat(ChatService.title("   What time is it?  \n")).isEqualTo("What time is it?");
  }

  @Test
  void a_title_is_one_line_with_runs_of_whitespace_collapsed() {
    assertThat(ChatService.title("first line\n\nsecond\t\tline   end"))
        .isEqualTo("first line second line end");
  }

  @Test
  void a_title_of_80_code_points_is_kept_whole() {
    String text = "a".repeat(80);

    assertThat(ChatService.title(text)).isEqualTo(text);
  }

  @Test
  void a_longer_title_is_cut_to_80_code_points_ending_in_an_ellipsis() {
    String title = ChatService.title("b".repeat(81));

    assertThat(title).isEqualTo("b".repeat(79) + "…");
    assertThat(codePoints(title)).isEqualTo(80);
  }

  @Test
  void a_title_is_not_cut_just_after_a_space() {
    String title = ChatService.title("a".repeat(78) + " bbbbbbbb");

    assertThat(title).isEqualTo("a".repeat(78) + "…");
  }

  @Test
  void emoji_count_as_one_code_point_and_are_never_split() {
    String title = ChatService.title("😀".repeat(100));

    assertThat(title).isEqualTo("😀".repeat(79) + "…");
    assertThat(codePoints(title)).isEqualTo(80);
    assertThat(title.codePoints()).noneMatch(cp -> cp >= 0xD800 && cp <= 0xDFFF);
    assertThat(ChatService.title("😀".repeat(80))).isEqualTo("😀".repeat(80));
  }

  @Test
  void unicode_line_separators_and_spaces_are_collapsed_too() {
    assertThat(ChatService.title("first\u2028second")).isEqualTo("first second");
    assertThat(ChatService.title("a\u3000\u3000b")).isEqualTo("a b");
  }

  @ParameterizedTest
  @NullSource
  @ValueSource(strings = {"", "   ", "\n\t \r\n"})
  void an_empty_text_gives_the_untitled_title(String text) {
    assertThat(ChatService.title(text)).isEqualTo("New chat");
  }

  @Test
  void open_or_create_creates_the_chat_once_titled_after_the_first_text() throws Exception {
    SqliteDatabase db = sqlite.database(dir);
    String alice = new SqlAccountStore(db).findOrCreate("alice", clock.instant()).id();
    ChatService service = new ChatService(new SqlChatStore(db), json, clock);
    String chatId = UUID.randomUUID().toString();

    Chat created = service.openOrCreate(chatId, alice, "offline", "  Hello   there ").orElseThrow();
    clock.advance(Duration.ofMinutes(1));
    Chat reopened = service.openOrCreate(chatId, alice, "other", "Something else").orElseThrow();

    assertThat(created.title()).isEqualTo("Hello there");
    assertThat(created.createdAt()).isEqualTo(clock.instant().minus(Duration.ofMinutes(1)));
    assertThat(reopened).isEqualTo(created);
  }

  @Test
  void open_or_create_refuses_another_accounts_chat() throws Exception {
    SqliteDatabase db = sqlite.database(dir);
    SqlAccountStore accounts = new SqlAccountStore(db);
    String alice = accounts.findOrCreate("alice", clock.instant()).id();
    String bob = accounts.findOrCreate("bob", clock.instant()).id();
    ChatService service = new ChatService(new SqlChatStore(db), json, clock);
    String chatId = UUID.randomUUID().toString();
    service.openOrCreate(chatId, alice, "offline", "mine");

    assertThat(service.openOrCreate(chatId, bob, "offline", "yours")).isEmpty();
  }

  @Test
  void recording_the_same_message_twice_stores_it_once() throws Exception {
    SqliteDatabase db = sqlite.database(dir);
    String alice = new SqlAccountStore(db).findOrCreate("alice", clock.instant()).id();
    SqlChatStore store = new SqlChatStore(db);
    ChatService service = new ChatService(store, json, clock);
    String chatId = UUID.randomUUID().toString();
    service.openOrCreate(chatId, alice, "offline", "hi");
    String message =
        "{\"id\":\"u1\",\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"text\":\"hi\"}]}";

    service.recordMessage(chatId, json.tree(message));
    clock.advance(Duration.ofSeconds(5));
    service.recordMessage(chatId, json.tree(message));

    assertThat(store.messages(chatId)).containsExactly(new StoredMessage("u1", "user", message));
    assertThat(store.find(chatId).orElseThrow().updatedAt()).isEqualTo(clock.instant());
  }
}
