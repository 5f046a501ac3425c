package dev.reprise.stream;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LiveStreamTest {

  @Test
  void frames_asked_for_from_any_index_past_the_tail_are_none() {
    LiveStream stream = new LiveStream("s", 0);
    for (int i = 0; i < 3; i++) {
      stream.offer(Frame.of(i, "{\"n\":" + i + "}"));
    }

    assertThat(stream.framesFrom(1)).extracting(Frame::index).containsExactly(1L, 2L);
    assertThat(stream.framesFrom(3)).isEmpty();
    // why: these wrap to negative ints; a client's startIndex or Last-Event-ID can be anything.
    assertThat(stream.framesFrom(8642310191421226635L)).isEmpty();
    assertThat(stream.framesFrom(Integer.MAX_VALUE + 2L)).isEmpty();
    assertThat(stream.framesFrom(Long.MAX_VALUE)).isEmpty();
  }
}
