package dev.ordersync.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordersync.config.ShopDomain;
import dev.ordersync.testing.Drafts;
import dev.ordersync.testing.ServiceWithHistory;
import dev.ordersync.testing.TestDatabases;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real browser (issue 17): the machine's headless Chromium, driven by Selenium
 * through Debian's chromedriver; nothing is downloaded. The service has a month of history in
 * PostgreSQL. Screenshots go to {@code core/target/screenshots/} (copies are in {@code docs/}).
 *
 * <p>Without Chromium the test is skipped with what to install, unless {@code
 * ORDER_SYNC_BROWSER_TESTS=required} (CI sets it), when that is a failure.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserTest {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final Path SCREENSHOTS = Path.of("target", "screenshots");

  private ServiceWithHistory service;
  private ChromeDriver browser;
  private Path profile;

  @BeforeAll
  void start() throws IOException {
    boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    String missing =
        "the dashboard's browser test needs Debian's chromium and chromium-driver "
            + "(apt-get install chromium chromium-driver)";
    if ("required".equals(System.getenv("ORDER_SYNC_BROWSER_TESTS"))) {
      assertThat(installed).as(missing).isTrue();
    }
    Assumptions.assumeTrue(installed, missing);

    service = new ServiceWithHistory(TestDatabases.Kind.POSTGRES, true);
    profile = Files.createTempDirectory("order-sync-chromium");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
        "--user-data-dir=" + profile);
    ChromeDriverService driver =
        new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build();
    browser = new ChromeDriver(driver, options);
    browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    Files.createDirectories(SCREENSHOTS);
  }

  @AfterAll
  void stop() throws IOException {
    if (browser != null) {
      browser.quit();
    }
    if (service != null) {
      service.close();
    }
  }

  /** The page, logged in as a browser is, with HTTP Basic and the API token as the password. */
  private void open() {
    browser.get(
        service.baseUrl().replace("http://", "http://ops:" + ServiceWithHistory.API_TOKEN + "@")
            + "/");
    new WebDriverWait(browser, Duration.ofSeconds(20))
        .until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("svg.chart.days")));
  }

  @Test
  @Order(1)
  void the_chart_has_a_point_per_day_and_marks_the_day_that_does_not_match() throws IOException {
    browser.manage().window().setSize(new Dimension(1280, 1700));
    open();
    List<WebElement> days = browser.findElements(By.cssSelector("svg.chart.days g.day"));
    assertThat(days).hasSize(30);
    for (WebElement day : days) {
      assertThat(day.findElements(By.cssSelector("circle.stored"))).hasSize(1);
      assertThat(day.findElements(By.cssSelector("circle.shopify"))).hasSize(1);
    }
    List<WebElement> mismatched =
        browser.findElements(By.cssSelector("svg.chart.days g.day.mismatch"));
    assertThat(mismatched).hasSize(1);
    assertThat(mismatched.get(0).getAttribute("data-day"))
        .isEqualTo(service.mismatchDay.toString());
    assertThat(mismatched.get(0).findElement(By.cssSelector("circle.mismatch")).isDisplayed())
        .isTrue();

    WebElement failed = browser.findElement(By.cssSelector("table.failed"));
    assertThat(failed.getText()).contains(ServiceWithHistory.HOSTILE_NAME);
    assertThat(browser.findElements(By.cssSelector("main img")))
        .as("escaped, not an image")
        .isEmpty();
    assertThat(((JavascriptExecutor) browser).executeScript("return window.pwned === undefined"))
        .isEqualTo(true);
    screenshot("dashboard-desktop.png");
  }

  @Test
  @Order(2)
  void fits_a_phone() throws IOException {
    browser.manage().window().setSize(new Dimension(390, 1600));
    open();
    JavascriptExecutor js = browser;
    Object width = js.executeScript("return document.documentElement.scrollWidth");
    Object viewport = js.executeScript("return document.documentElement.clientWidth");
    assertThat(((Number) width).longValue())
        .as("no sideways scrolling of the page")
        .isLessThanOrEqualTo(((Number) viewport).longValue());
    screenshot("dashboard-phone.png");
  }

  /** Last: it resolves the failed order the others show. */
  @Test
  @Order(4)
  void retry_stores_the_failed_order_and_the_page_says_so() {
    browser.manage().window().setSize(new Dimension(1280, 900));
    open();
    String order = service.unmappable.gid();
    WebElement row =
        browser.findElement(By.cssSelector("table.failed tr[data-order=\"" + order + "\"]"));
    service.proxy.heal(); // Shopify's answer is fine now
    row.findElement(By.cssSelector("button")).click();

    WebElement notice =
        new WebDriverWait(browser, Duration.ofSeconds(20))
            .until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".notice")));
    assertThat(notice.getText()).contains(order).contains("stored");
    assertThat(notice.getAttribute("class")).contains("good");
    assertThat(browser.findElements(By.cssSelector("table.failed tr[data-order]"))).isEmpty();
    assertThat(service.app.orders().failed().open(service.harness.shop().value())).isEmpty();
  }

  @Test
  @Order(3)
  void refreshes_itself_with_what_changed() {
    browser.manage().window().setSize(new Dimension(1280, 900));
    open();
    By stored = By.cssSelector("#shop-0 .cards .card:first-child dd");
    long before = Long.parseLong(browser.findElement(stored).getText().replace(",", ""));
    service.harness.sim.shop().create(new Drafts(99).next());
    service.harness.advance(Duration.ofMinutes(10));
    service.app.sync().once(service.harness.shop());
    assertThat(service.app.orders().stored().countAll(service.harness.shop().value()))
        .isEqualTo(before + 1);

    ((JavascriptExecutor) browser)
        .executeAsyncScript(
            "var done = arguments[arguments.length - 1]; window.orderSync.refresh().then(done);");
    assertThat(browser.findElement(stored).getText())
        .as(browser.findElement(By.id("updated")).getText())
        .isEqualTo(String.valueOf(before + 1));
  }

  /** Last: what an operator sees when a webhook secret is wrong and Shopify is down. */
  @Test
  @Order(5)
  void shows_refused_deliveries_and_an_outage() throws Exception {
    String shop = service.harness.shop().value();
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    for (int i = 0; i < 5; i++) {
      String body = "{\"id\": " + (900 + i) + "}";
      java.net.http.HttpResponse<String> r =
          http.send(
              java.net.http.HttpRequest.newBuilder(
                      java.net.URI.create(service.baseUrl() + "/webhooks/shopify"))
                  .header("X-Shopify-Shop-Domain", shop)
                  .header("X-Shopify-Topic", "orders/create")
                  .header("X-Shopify-Webhook-Id", "forged-" + i)
                  .header(
                      "X-Shopify-Hmac-Sha256",
                      dev.ordersync.simulator.webhooks.WebhookHub.hmac("not-the-secret", body))
                  .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(401);
    }
    // what the webhook worker does every few seconds
    service
        .app
        .webhooks()
        .inbox()
        .recordRefusals(
            service.app.webhooks().stats().takeRefusals(), service.harness.clock.instant());
    service.harness.sim.faults().failNext(dev.ordersync.simulator.faults.Fault.HTTP_503, 1_000);
    service.app.reconcile().sweep().run(ShopDomain.of(shop));
    service.harness.sim.faults().clear();

    browser.manage().window().setSize(new Dimension(1280, 1700));
    open();
    String page = browser.findElement(By.tagName("main")).getText();
    assertThat(page).contains("webhooks refused").contains("UNREACHABLE");
    screenshot("dashboard-trouble.png");
  }

  private void screenshot(String name) throws IOException {
    Path shot = browser.getScreenshotAs(OutputType.FILE).toPath();
    Files.copy(shot, SCREENSHOTS.resolve(name), StandardCopyOption.REPLACE_EXISTING);
  }
}
