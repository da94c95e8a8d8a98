package dev.ordersync;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.constructors;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.ordersync.db.Database;
import dev.ordersync.orders.Order;
import dev.ordersync.shopify.ShopifyClient;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The rules that keep the house as it was built (issue 12), run by {@code mvn verify}: the core
 * knows nothing of the simulator or the demo, only the composition root (App and its feature doors)
 * constructs the parts, App hands out doors only, nothing below the command line takes the
 * composition root, and time is injected (invariant 7).
 */
class ArchitectureTest {
  /** The composition root: App and the feature doors it hands out, which wire their own parts. */
  private static final String ROOT = "dev.ordersync";

  private static JavaClasses core;
  private static JavaClasses coreAndSimulator;

  @BeforeAll
  static void importClasses() {
    ClassFileImporter importer =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS);
    core = importer.importPackages("dev.ordersync").that(inCore());
    coreAndSimulator = importer.importPackages("dev.ordersync");
  }

  private static DescribedPredicate<JavaClass> inCore() {
    return DescribedPredicate.describe(
        "order-sync's core", c -> !c.getPackageName().startsWith("dev.ordersync.simulator"));
  }

  @Test
  void the_core_knows_nothing_of_the_simulator_the_demo_or_graphql_java() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.ordersync.simulator..",
            "dev.ordersync.demo..",
            "dev.ordersync.dist..",
            "graphql..")
        .check(core);
  }

  @Test
  void only_the_composition_root_constructs_the_parts() {
    constructors()
        .that()
        .areDeclaredInClassesThat(holdA(Database.class))
        .should()
        .onlyBeCalled()
        .byClassesThat()
        .resideInAPackage(ROOT)
        .check(core);
    constructors()
        .that()
        .areDeclaredIn(ShopifyClient.class)
        .should()
        .onlyBeCalled()
        .byClassesThat()
        .resideInAPackage(ROOT)
        .check(core);
  }

  /** App hands out one door a feature, not its parts (issue 28). */
  @Test
  void the_composition_root_hands_out_doors_only() {
    methods()
        .that()
        .areDeclaredIn(App.class)
        .and()
        .arePublic()
        .and()
        .areNotStatic()
        .should()
        .haveNameMatching("config|orders|shops|webhooks|sync|reconcile|feed|service|close")
        .because("each feature is reached through its door (App.orders(), App.sync(), ...)")
        .check(core);
  }

  /** An order is built by field name ({@code Order.builder()}), never by position (issue 28). */
  @Test
  void orders_are_built_by_name() {
    constructors()
        .that()
        .areDeclaredIn(Order.class)
        .should()
        .onlyBeCalled()
        .byClassesThat()
        .belongToAnyOf(Order.class)
        .check(core);
  }

  @Test
  void nothing_below_the_command_line_takes_the_composition_root() {
    noClasses()
        .that()
        .resideOutsideOfPackage("dev.ordersync.cli..")
        .and()
        .resideOutsideOfPackage(ROOT)
        .should()
        .dependOnClassesThat()
        .resideInAPackage(ROOT)
        .check(core);
  }

  @Test
  void the_lower_layers_do_not_reach_up() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "dev.ordersync.db..",
            "dev.ordersync.secrets..",
            "dev.ordersync.config..",
            "dev.ordersync.orders..",
            "dev.ordersync.shopify..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.ordersync.sync..",
            "dev.ordersync.reconcile..",
            "dev.ordersync.webhook..",
            "dev.ordersync.feed..",
            "dev.ordersync.shops..",
            "dev.ordersync.install..",
            "dev.ordersync.credentials..",
            "dev.ordersync.status..",
            "dev.ordersync.alerts..",
            "dev.ordersync.dashboard..",
            "dev.ordersync.service..",
            "dev.ordersync.cli..")
        .check(core);
  }

  /** The stored orders know nothing of Shopify: its payloads are mapped beside its client. */
  @Test
  void the_store_knows_nothing_of_shopify() {
    noClasses()
        .that()
        .resideInAnyPackage("dev.ordersync.db..", "dev.ordersync.orders..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.ordersync.shopify..", "dev.ordersync.config..")
        .check(core);
  }

  /** Invariant 7: production code asks an injected Clock; only the defaults choose the real one. */
  @Test
  void time_is_injected() {
    noClasses()
        .that()
        .doNotHaveFullyQualifiedName(AppOptions.class.getName())
        .and()
        .doNotHaveSimpleName("TimeOptions")
        .and()
        .doNotHaveFullyQualifiedName("dev.ordersync.simulator.Simulator$Builder")
        .should()
        .callMethod(Instant.class, "now")
        .orShould()
        .callMethod(LocalDate.class, "now")
        .orShould()
        .callMethod(LocalDateTime.class, "now")
        .orShould()
        .callMethod(ZonedDateTime.class, "now")
        .orShould()
        .callMethod(OffsetDateTime.class, "now")
        .orShould()
        .callMethod(System.class, "currentTimeMillis")
        .orShould()
        .callMethod(Clock.class, "systemUTC")
        .orShould()
        .callMethod(Clock.class, "systemDefaultZone")
        .orShould()
        .callConstructor(java.util.Date.class)
        .because("invariant 7: code asks an injected java.time.Clock")
        .check(coreAndSimulator);
  }

  private static DescribedPredicate<JavaClass> holdA(Class<?> type) {
    return DescribedPredicate.describe(
        "hold a " + type.getSimpleName(),
        c -> c.getAllFields().stream().anyMatch(f -> f.getRawType().isEquivalentTo(type)));
  }
}
