package dev.ordersync.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code demo --install} plays what it says: three installs imported, one uninstall obeyed. */
class InstallDemoTest {
  @Test
  void three_merchants_install_while_it_runs_and_one_uninstalls() throws Exception {
    ByteArrayOutputStream progress = new ByteArrayOutputStream();
    List<InstallDemo.Shop> shops =
        new InstallDemo(
                "jdbc:h2:mem:install-demo", new PrintStream(progress, true, StandardCharsets.UTF_8))
            .run();
    assertThat(shops)
        .extracting(InstallDemo.Shop::status)
        .containsExactly("uninstalled", "active", "active");
    assertThat(shops.get(0).stored()).isEqualTo(shops.get(0).shopifyOrders() - 1);
    assertThat(shops.subList(1, 3)).allMatch(s -> s.stored() == s.shopifyOrders());
    assertThat(progress.toString(StandardCharsets.UTF_8)).contains("0 call(s) to it since");
  }
}
