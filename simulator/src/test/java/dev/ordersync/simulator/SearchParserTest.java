package dev.ordersync.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ordersync.simulator.search.SearchParser;
import dev.ordersync.simulator.search.SearchQuery;
import dev.ordersync.simulator.search.SearchSyntaxException;
import dev.ordersync.simulator.store.SimOrder;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

class SearchParserTest {
  private static final ZoneId NY = ZoneId.of("America/New_York");
  private static final Instant T = Instant.parse("2026-11-20T10:00:00Z");

  private static SimOrder order(
      long id, Instant created, Instant updated, boolean test, String source) {
    return new SimOrder(
        id,
        (int) id,
        created,
        updated,
        created,
        null,
        null,
        null,
        test,
        source,
        "a@example.com",
        null,
        "PAID",
        "UNFULFILLED",
        "USD",
        java.math.BigDecimal.ZERO,
        java.math.BigDecimal.ZERO,
        java.math.BigDecimal.ZERO,
        null,
        null,
        null,
        List.of("vip"),
        null,
        List.of(),
        null);
  }

  private static boolean matches(String q, SimOrder o) {
    return SearchParser.parse(q, NY, T).matches(o);
  }

  @Test
  void comparators_on_times_compare_whole_seconds() {
    SimOrder o = order(1, T, T.plusSeconds(30), false, "web");
    assertThat(matches("created_at:>='2026-11-20T10:00:00Z'", o)).isTrue();
    assertThat(matches("created_at:>'2026-11-20T10:00:00Z'", o)).isFalse();
    assertThat(matches("created_at:<'2026-11-20T10:00:00Z'", o)).isFalse();
    assertThat(matches("created_at:<='2026-11-20T10:00:00Z'", o)).isTrue();
    assertThat(matches("created_at:'2026-11-20T10:00:00Z'", o)).isTrue();
    assertThat(matches("created_at:\"2026-11-20T05:00:00-05:00\"", o)).isTrue();
    assertThat(matches("updated_at:>='2026-11-20T10:00:30.900Z'", o)).isTrue();
  }

  @Test
  void connectives_and_modifiers() {
    SimOrder web = order(1, T, T, false, "web");
    SimOrder pos = order(2, T, T, true, "pos");
    assertThat(matches("source_name:web AND test:false", web)).isTrue();
    assertThat(matches("source_name:web test:true", web)).isFalse();
    assertThat(matches("source_name:pos OR source_name:web", web)).isTrue();
    assertThat(matches("-source_name:pos", pos)).isFalse();
    assertThat(matches("NOT test:true", pos)).isFalse();
    assertThat(matches("(source_name:pos OR test:false) AND id:>=2", pos)).isTrue();
    assertThat(matches("id:>1", web)).isFalse();
    assertThat(matches("tag:vip status:open", web)).isTrue();
  }

  @Test
  void an_unknown_field_is_ignored_with_a_warning_and_widens_the_search() {
    SearchQuery q = SearchParser.parse("craeted_at:>='2030-01-01T00:00:00Z'", NY, T);
    assertThat(q.warnings()).singleElement().asString().contains("craeted_at");
    assertThat(q.matches(order(1, T, T, false, "web"))).isTrue();
  }

  @Test
  void broken_queries_say_what_is_wrong() {
    assertThatThrownBy(() -> SearchParser.parse("(test:true", NY, T))
        .isInstanceOf(SearchSyntaxException.class)
        .hasMessageContaining("missing ')'");
    assertThatThrownBy(() -> SearchParser.parse("created_at:>'2026", NY, T))
        .isInstanceOf(SearchSyntaxException.class)
        .hasMessageContaining("unterminated quote");
  }

  @Test
  void a_plain_and_of_time_terms_implies_index_bounds() {
    SearchQuery q =
        SearchParser.parse(
            "updated_at:>='2026-11-20T10:00:00Z' AND " + "updated_at:<'2026-11-20T11:00:00Z'",
            NY,
            T);
    assertThat(q.updated()).isEqualTo(new SearchQuery.Range(T, T.plusSeconds(3600)));
    assertThat(q.created()).isNull();
    assertThat(
            SearchParser.parse("updated_at:>='2026-11-20T10:00:00Z' OR test:true", NY, T).updated())
        .isNull();
  }
}
