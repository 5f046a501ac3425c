package dev.reprise.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResourcesTest {
  private final List<String> closed = new ArrayList<>();

  private AutoCloseable named(String name) {
    return () -> closed.add(name);
  }

  private AutoCloseable failing(String name) {
    return () -> {
      closed.add(name);
      throw new IllegalStateException(name + " would not close");
    };
  }

  @Test
  void the_last_opened_is_closed_first_so_the_data_dir_lock_outlives_the_database() {
    Resources resources = new Resources();
    resources.own(named("lock"));
    resources.own(named("storage"));
    resources.own(named("models"));

    resources.close();

    assertThat(closed).containsExactly("models", "storage", "lock");
  }

  @Test
  void a_failure_to_close_one_does_not_keep_the_rest_open() {
    Resources resources = new Resources();
    resources.own(named("lock"));
    resources.own(failing("storage"));
    resources.own(failing("models"));

    assertThatThrownBy(resources::close)
        .isInstanceOf(IllegalStateException.class)
        .satisfies(e -> assertThat(e.getSuppressed()).hasSize(1));
    assertThat(closed).containsExactly("models", "storage", "lock");
  }

  @Test
  void closing_twice_closes_once() {
    Resources resources = new Resources();
    resources.own(named("storage"));
    resources.close();
    resources.close();
    assertThat(closed).containsExactly("storage");
  }
}
