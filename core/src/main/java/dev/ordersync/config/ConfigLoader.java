package dev.ordersync.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.ordersync.shopify.Secret;
import dev.ordersync.sync.SyncSettings;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code order-sync.yml}. {@code ${VAR}} is replaced by the environment variable VAR (secrets
 * belong there). Every problem names its key; unknown keys are errors, since a mistyped key would
 * otherwise be silently ignored.
 */
public final class ConfigLoader {
  public static final String DEFAULT_API_VERSION = "2026-10";
  private static final Pattern ENV = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");
  private static final Pattern SHOP_DOMAIN =
      Pattern.compile("[a-z0-9][a-z0-9-]*\\.myshopify\\.com");
  private static final Pattern API_VERSION = Pattern.compile("\\d{4}-\\d{2}|unstable");

  private final Function<String, String> env;
  private String source = "config";

  public ConfigLoader(Function<String, String> env) {
    this.env = env;
  }

  public AppConfig load(Path file) {
    source = file.toString();
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new ConfigException("config file " + file + " does not exist");
    } catch (IOException e) {
      throw new ConfigException("cannot read config file " + file + ": " + e.getMessage());
    }
    JsonNode root;
    try {
      root = new ObjectMapper(new YAMLFactory()).readTree(text);
    } catch (IOException e) {
      throw new ConfigException(source + " is not valid YAML: " + e.getMessage()
          .lines().findFirst().orElse(""));
    }
    if (root == null || !root.isObject()) {
      throw new ConfigException(source + " must be a YAML mapping with at least 'shops:'");
    }
    return parse(root);
  }

  /** A config for one shop given on the command line, with defaults for everything else. */
  public AppConfig singleShop(String domain, String token, String apiUrl) {
    source = "command line";
    ShopConfig shop = shop(domain, token, apiUrl, DEFAULT_API_VERSION, null, List.of(), "--shop");
    String apiToken = env.apply("ORDER_SYNC_API_TOKEN");
    AppConfig.HttpSettings hd = AppConfig.HttpSettings.defaults();
    return new AppConfig(List.of(shop), Optional.empty(), SyncSettings.defaults(),
        Duration.ofMinutes(5), AppConfig.ReconcileSettings.defaults(),
        AppConfig.ClientSettings.defaults(), new AppConfig.HttpSettings(hd.host(), hd.port(),
            hd.adminHost(), hd.adminPort(), apiToken == null || apiToken.isBlank() ? List.of()
                : List.of(new Secret(apiToken))), AppConfig.WebhookSettings.defaults());
  }

  private AppConfig parse(JsonNode root) {
    allowOnly(root, "", Set.of("shops", "database", "sync", "reconcile", "client", "http",
        "webhooks"));
    JsonNode shopsNode = root.path("shops");
    if (!shopsNode.isArray() || shopsNode.isEmpty()) {
      throw new ConfigException(source + ": 'shops' must list at least one shop, e.g.\n"
          + "shops:\n  - domain: my-store.myshopify.com\n    token: ${SHOPIFY_ACCESS_TOKEN}");
    }
    List<ShopConfig> shops = new ArrayList<>();
    for (int i = 0; i < shopsNode.size(); i++) {
      String key = "shops[" + i + "]";
      JsonNode s = shopsNode.get(i);
      allowOnly(s, key, Set.of("domain", "token", "apiUrl", "apiVersion", "timezone",
          "webhookSecrets"));
      List<String> secrets = new ArrayList<>();
      for (JsonNode w : s.path("webhookSecrets")) {
        secrets.add(expand(w.asText(), key + ".webhookSecrets"));
      }
      ShopConfig shop = shop(text(s, "domain", key), optionalText(s, "token"),
          optionalText(s, "apiUrl"), optionalText(s, "apiVersion") == null ? DEFAULT_API_VERSION
              : optionalText(s, "apiVersion"), optionalText(s, "timezone"), secrets, key);
      if (shops.stream().anyMatch(x -> x.domain().equals(shop.domain()))) {
        throw new ConfigException(source + ": " + key + ".domain: " + shop.domain()
            + " is listed twice");
      }
      shops.add(shop);
    }
    JsonNode sync = root.path("sync");
    allowOnly(sync, "sync", Set.of("settleLag", "overlap", "maxWindow", "initialLookback",
        "interval"));
    SyncSettings d = SyncSettings.defaults();
    SyncSettings syncSettings = new SyncSettings(
        duration(sync, "settleLag", d.settleLag(), "sync"),
        duration(sync, "overlap", d.overlap(), "sync"),
        duration(sync, "maxWindow", d.maxWindow(), "sync"),
        duration(sync, "initialLookback", d.initialLookback(), "sync"));
    Duration interval = duration(sync, "interval", Duration.ofMinutes(5), "sync");
    JsonNode rec = root.path("reconcile");
    allowOnly(rec, "reconcile", Set.of("nightlyAt", "days", "sweepInterval", "sweepLookback"));
    AppConfig.ReconcileSettings rd = AppConfig.ReconcileSettings.defaults();
    LocalTime nightlyAt = rd.nightlyAt();
    if (rec.has("nightlyAt")) {
      try {
        nightlyAt = LocalTime.parse(rec.get("nightlyAt").asText());
      } catch (DateTimeException e) {
        throw new ConfigException(source + ": reconcile.nightlyAt: '" + rec.get("nightlyAt")
            .asText() + "' is not a time of day such as 00:00 or 02:30");
      }
    }
    int days = integer(rec, "days", rd.days(), "reconcile", 1, 60,
        " (Shopify shows 60 days of orders without read_all_orders)");
    AppConfig.ReconcileSettings recSettings = new AppConfig.ReconcileSettings(nightlyAt, days,
        duration(rec, "sweepInterval", rd.sweepInterval(), "reconcile"),
        duration(rec, "sweepLookback", rd.sweepLookback(), "reconcile"));
    JsonNode client = root.path("client");
    allowOnly(client, "client", Set.of("connectTimeout", "requestTimeout", "maxAttempts"));
    AppConfig.ClientSettings cd = AppConfig.ClientSettings.defaults();
    AppConfig.ClientSettings clientSettings = new AppConfig.ClientSettings(
        duration(client, "connectTimeout", cd.connectTimeout(), "client"),
        duration(client, "requestTimeout", cd.requestTimeout(), "client"),
        integer(client, "maxAttempts", cd.maxAttempts(), "client", 1, 100, ""));
    JsonNode http = root.path("http");
    allowOnly(http, "http", Set.of("host", "port", "adminHost", "adminPort", "apiTokens"));
    AppConfig.HttpSettings hd = AppConfig.HttpSettings.defaults();
    int port = integer(http, "port", hd.port(), "http", 0, 65535, "");
    Integer adminPort = http.has("adminPort")
        ? integer(http, "adminPort", 0, "http", 0, 65535, "") : null;
    List<Secret> apiTokens = new ArrayList<>();
    for (JsonNode t : http.path("apiTokens")) {
      apiTokens.add(new Secret(expand(t.asText(), "http.apiTokens")));
    }
    if (apiTokens.isEmpty() && env.apply("ORDER_SYNC_API_TOKEN") != null
        && !env.apply("ORDER_SYNC_API_TOKEN").isBlank()) {
      apiTokens.add(new Secret(env.apply("ORDER_SYNC_API_TOKEN")));
    }
    AppConfig.HttpSettings httpSettings = new AppConfig.HttpSettings(
        http.has("host") ? text(http, "host", "http") : hd.host(), port,
        http.has("adminHost") ? text(http, "adminHost", "http") : hd.adminHost(), adminPort,
        apiTokens);
    JsonNode hooks = root.path("webhooks");
    allowOnly(hooks, "webhooks", Set.of("maxAge"));
    AppConfig.WebhookSettings hookSettings = new AppConfig.WebhookSettings(duration(hooks,
        "maxAge", AppConfig.WebhookSettings.defaults().maxAge(), "webhooks"));
    return new AppConfig(shops, Optional.ofNullable(optionalText(root, "database")),
        syncSettings, interval, recSettings, clientSettings, httpSettings, hookSettings);
  }

  private ShopConfig shop(String domain, String token, String apiUrl, String apiVersion,
      String timezone, List<String> webhookSecrets, String key) {
    if (domain == null || !SHOP_DOMAIN.matcher(domain).matches()) {
      throw new ConfigException(source + ": " + key + (key.startsWith("--") ? "" : ".domain")
          + ": '" + domain + "' is not a shop domain; write it as my-store.myshopify.com");
    }
    String tokenValue = token == null ? null : expand(token, key + ".token");
    if (tokenValue == null || tokenValue.isBlank()) {
      throw new ConfigException(source + ": " + (key.startsWith("--") ? "--token" : key
          + ".token") + " is missing for " + domain + "; give the Admin API access token "
          + "(shpat_...), best as ${SHOPIFY_ACCESS_TOKEN} from the environment");
    }
    Optional<URI> url = Optional.empty();
    if (apiUrl != null) {
      try {
        URI u = URI.create(expand(apiUrl, key + ".apiUrl"));
        if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme())) {
          throw new IllegalArgumentException("not http(s)");
        }
        url = Optional.of(u);
      } catch (IllegalArgumentException e) {
        throw new ConfigException(source + ": " + (key.startsWith("--") ? "--api-url" : key
            + ".apiUrl") + ": '" + apiUrl + "' is not an http(s) URL");
      }
    }
    if (!API_VERSION.matcher(apiVersion).matches()) {
      throw new ConfigException(source + ": " + key + ".apiVersion: '" + apiVersion
          + "' is not an API version such as 2026-10");
    }
    Optional<ZoneId> zone = Optional.empty();
    if (timezone != null) {
      try {
        zone = Optional.of(ZoneId.of(timezone));
      } catch (DateTimeException e) {
        throw new ConfigException(source + ": " + key + ".timezone: '" + timezone
            + "' is not an IANA time zone such as America/New_York");
      }
    }
    List<String> secrets = webhookSecrets;
    if (secrets.isEmpty()) {
      // the environment's secrets, current first, then the one being rotated out
      secrets = new ArrayList<>();
      for (String var : List.of("SHOPIFY_WEBHOOK_SECRET", "SHOPIFY_WEBHOOK_SECRET_PREVIOUS")) {
        String v = env.apply(var);
        if (v != null) {
          secrets.add(v);
        }
      }
    }
    return new ShopConfig(domain, new Secret(tokenValue), url, apiVersion, zone,
        secrets.stream().filter(s -> !s.isBlank()).map(Secret::new).toList());
  }

  private String expand(String value, String key) {
    Matcher m = ENV.matcher(value);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String v = env.apply(m.group(1));
      if (v == null) {
        throw new ConfigException(source + ": " + key + " refers to ${" + m.group(1)
            + "}, but that environment variable is not set");
      }
      m.appendReplacement(out, Matcher.quoteReplacement(v));
    }
    m.appendTail(out);
    return out.toString();
  }

  private void allowOnly(JsonNode node, String where, Set<String> known) {
    if (node.isMissingNode() || node.isNull()) {
      return;
    }
    if (!node.isObject()) {
      throw new ConfigException(source + ": '" + where + "' must be a mapping");
    }
    Iterator<Map.Entry<String, JsonNode>> it = node.fields();
    while (it.hasNext()) {
      String k = it.next().getKey();
      if (!known.contains(k)) {
        throw new ConfigException(source + ": unknown key '" + (where.isEmpty() ? "" : where
            + ".") + k + "'; known keys there: " + String.join(", ", known.stream().sorted()
            .toList()));
      }
    }
  }

  private Duration duration(JsonNode node, String key, Duration dflt, String where) {
    if (!node.has(key)) {
      return dflt;
    }
    String v = node.get(key).asText().trim();
    try {
      return Durations.parse(v);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(source + ": " + where + "." + key + ": '" + v
          + "' is not a duration; write it as 90s, 5m, 1h, 2d or ISO-8601 (PT5M)");
    }
  }

  private int integer(JsonNode node, String key, int dflt, String where, int min, int max,
      String why) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      return dflt;
    }
    if (!v.isIntegralNumber() || !v.canConvertToInt() || v.asInt() < min || v.asInt() > max) {
      throw new ConfigException(source + ": " + where + "." + key + " must be from " + min
          + " to " + max + ", a whole number" + why + "; got '" + v.asText() + "'");
    }
    return v.asInt();
  }

  private String text(JsonNode node, String key, String where) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull() || v.asText().isBlank()) {
      throw new ConfigException(source + ": " + where + "." + key + " is required");
    }
    return v.asText();
  }

  private static String optionalText(JsonNode node, String key) {
    JsonNode v = node.get(key);
    return v == null || v.isNull() ? null : v.asText();
  }
}
