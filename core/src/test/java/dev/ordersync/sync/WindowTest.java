package dev.ordersync.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class WindowTest {
  private static final Instant T = Instant.parse("2026-11-20T10:00:00Z");

  @Test
  void search_is_half_open_with_quoted_whole_seconds() {
    Window w = new Window(T, T.plusSeconds(900));
    assertThat(w.search("updated_at"))
        .isEqualTo("updated_at:>='2026-11-20T10:00:00Z' AND updated_at:<'2026-11-20T10:15:00Z'");
    assertThat(w.search("updated_at")).doesNotContain(":>'");
  }

  @Test
  void the_end_second_belongs_to_the_next_window_only() {
    Window first = new Window(T, T.plusSeconds(60));
    Window next = new Window(T.plusSeconds(60), T.plusSeconds(120));
    Instant edge = T.plusSeconds(60);
    assertThat(first.contains(edge)).isFalse();
    assertThat(next.contains(edge)).isTrue();
    assertThat(first.contains(edge.minusNanos(1))).isTrue();
  }

  @Test
  void split_covers_exactly_without_gaps_or_overlaps() {
    Window w = new Window(T, T.plus(Duration.ofHours(5)).plusSeconds(17));
    List<Window> parts = w.split(Duration.ofHours(1));
    assertThat(parts).hasSize(6);
    assertThat(parts.get(0).start()).isEqualTo(w.start());
    assertThat(parts.get(parts.size() - 1).end()).isEqualTo(w.end());
    for (int i = 1; i < parts.size(); i++) {
      assertThat(parts.get(i).start()).isEqualTo(parts.get(i - 1).end());
      assertThat(parts.get(i).length()).isLessThanOrEqualTo(Duration.ofHours(1));
    }
    List<Window> quarters = w.splitInto(4);
    assertThat(quarters.get(0).start()).isEqualTo(w.start());
    assertThat(quarters.get(3).end()).isEqualTo(w.end());
    for (int i = 1; i < quarters.size(); i++) {
      assertThat(quarters.get(i).start()).isEqualTo(quarters.get(i - 1).end());
    }
  }

  @Test
  void bounds_must_be_whole_seconds_and_ordered() {
    assertThatThrownBy(() -> new Window(T.plusMillis(1), T.plusSeconds(5)))
        .hasMessageContaining("whole seconds");
    assertThatThrownBy(() -> new Window(T, T.minusSeconds(1)))
        .hasMessageContaining("cannot end before");
  }
}
