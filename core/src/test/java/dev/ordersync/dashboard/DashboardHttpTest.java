package dev.ordersync.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ordersync.testing.ServiceWithHistory;
import dev.ordersync.testing.TestDatabases;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The dashboard over HTTP, without a browser (issue 17): what it draws from a month of history,
 * that what comes from outside is escaped, and who may retry a failed order.
 */
class DashboardHttpTest {
  private static final Pattern DAY =
      Pattern.compile("<g class=\"day (\\w+)\" data-day=\"([0-9-]+)\"");
  private final HttpClient http = HttpClient.newHttpClient();

  @ParameterizedTest
  @EnumSource(TestDatabases.Kind.class)
  void the_page_draws_each_day_and_marks_the_one_that_does_not_match(TestDatabases.Kind db)
      throws Exception {
    try (ServiceWithHistory s = new ServiceWithHistory(db, false)) {
      HttpResponse<String> page = get(s, "/", null);
      assertThat(page.statusCode()).isEqualTo(200);
      String html = page.body();

      Matcher m = DAY.matcher(html);
      int days = 0;
      while (m.find()) {
        assertThat(m.group(2)).isEqualTo(s.days.get(days).toString());
        assertThat(m.group(1))
            .as(m.group(2))
            .isEqualTo(s.days.get(days).equals(s.mismatchDay) ? "mismatch" : "ok");
        days++;
      }
      assertThat(days).isEqualTo(30);
      assertThat(html).contains("class=\"stored mismatch\"").contains("class=\"mismatch-band\"");
      assertThat(html).contains("<polyline class=\"lag\"").contains("<circle class=\"failed\"");
      assertThat(html).contains("<rect class=\"bar\"").contains(": 1 deliveries</title>");
      assertThat(html).contains("<section id=\"instances\">");

      assertThat(html).doesNotContain(ServiceWithHistory.HOSTILE_NAME).doesNotContain("<img");
      assertThat(html).contains("&lt;img src=x onerror=&quot;window.pwned=1&quot;&gt;#1042");
      assertThat(html)
          .as("no token configured: no retry button, and the way to get one")
          .doesNotContain("<form")
          .contains("http.apiTokens");
    }
  }

  @Test
  void retrying_needs_a_token_and_from_a_browser_the_form_token() throws Exception {
    try (ServiceWithHistory s = new ServiceWithHistory(TestDatabases.Kind.H2, true)) {
      String order = s.unmappable.gid();
      String form = "shop=" + enc(s.harness.shop().value()) + "&order=" + enc(order);
      String basic =
          "Basic "
              + Base64.getEncoder()
                  .encodeToString(
                      ("ops:" + ServiceWithHistory.API_TOKEN).getBytes(StandardCharsets.UTF_8));

      assertThat(post(s, form, null).statusCode()).isEqualTo(401);
      HttpResponse<String> noFormToken = post(s, form, basic);
      assertThat(noFormToken.statusCode())
          .as("a form another site posts with the browser's saved login")
          .isEqualTo(403);
      assertThat(noFormToken.body()).contains("reload the dashboard");
      assertThat(post(s, form + "&formToken=forged", basic).statusCode()).isEqualTo(403);
      assertThat(s.app.orders().failed().open(s.harness.shop().value())).hasSize(1);

      String page = get(s, "/", basic).body();
      Matcher token = Pattern.compile("name=\"formToken\" value=\"([^\"]+)\"").matcher(page);
      assertThat(token.find()).isTrue();
      s.proxy.heal();
      HttpResponse<String> fromTheForm = post(s, form + "&formToken=" + token.group(1), basic);
      assertThat(fromTheForm.statusCode()).isEqualTo(303);
      assertThat(fromTheForm.headers().firstValue("Location"))
          .hasValueSatisfying(
              l -> assertThat(l).startsWith("/?retried=").contains("outcome=stored"));
      assertThat(s.app.orders().failed().open(s.harness.shop().value())).isEmpty();

      HttpResponse<String> again = post(s, form, "Bearer " + ServiceWithHistory.API_TOKEN);
      assertThat(again.statusCode()).isEqualTo(200);
      JsonNode body = new ObjectMapper().readTree(again.body());
      assertThat(body.path("outcome").asText()).isEqualTo("not-open");
    }
  }

  @Test
  void without_api_tokens_nothing_can_be_retried_from_the_network() throws Exception {
    try (ServiceWithHistory s = new ServiceWithHistory(TestDatabases.Kind.H2, false)) {
      String form = "shop=" + enc(s.harness.shop().value()) + "&order=" + enc(s.unmappable.gid());
      HttpResponse<String> r = post(s, form, null);
      assertThat(r.statusCode()).isEqualTo(404);
      assertThat(r.body()).contains("http.apiTokens");
      assertThat(s.app.orders().failed().open(s.harness.shop().value())).hasSize(1);
    }
  }

  private HttpResponse<String> get(ServiceWithHistory s, String path, String authorization)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(s.baseUrl() + path));
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(ServiceWithHistory s, String form, String authorization)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(s.baseUrl() + "/failed-orders/retry"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form));
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
