package dev.ordersync.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.ordersync.secrets.Secret;
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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads {@code order-sync.yml}: binds it to {@link ConfigFile} (unknown keys and values of the
 * wrong type are errors, since a mistyped key would otherwise be silently ignored), checks the
 * ranges, applies the defaults. {@code ${VAR}} is replaced by the environment variable VAR (secrets
 * belong there). Every problem names its key and says what to write instead.
 */
public final class ConfigLoader {
  public static final String DEFAULT_API_VERSION = "2026-10";
  private static final Pattern ENV = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");
  private static final Pattern API_VERSION = Pattern.compile("\\d{4}-\\d{2}|unstable");

  private final Function<String, String> env;
  private final boolean credentialsOptional;
  private final ObjectMapper yaml = strictMapper();

  public ConfigLoader(Function<String, String> env) {
    this(env, false);
  }

  private ConfigLoader(Function<String, String> env, boolean credentialsOptional) {
    this.env = env;
    this.credentialsOptional = credentialsOptional;
  }

  /**
   * The same loader for commands that never call Shopify: a shop without credentials is taken, so
   * that whoever exports orders needs no Shopify secret.
   */
  public ConfigLoader withCredentialsOptional() {
    return new ConfigLoader(env, true);
  }

  /** What the command line gives for a single shop without a config file. */
  public record ShopFlags(
      String domain,
      String token,
      String clientId,
      String clientSecret,
      String refreshToken,
      String apiUrl) {}

  public AppConfig load(Path file) {
    String source = file.toString();
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
      root = yaml.readTree(text);
    } catch (IOException e) {
      String where = "";
      if (e instanceof JsonProcessingException j && j.getLocation() != null) {
        where =
            " (line "
                + j.getLocation().getLineNr()
                + ", column "
                + j.getLocation().getColumnNr()
                + ")";
      }
      String first = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
      throw new ConfigException(source + where + " is not valid YAML: " + first);
    }
    if (root == null || !root.isObject()) {
      throw new ConfigException(source + " must be a YAML mapping with at least 'shops:'");
    }
    ConfigFile file1;
    try {
      file1 = yaml.treeToValue(expand(root, "", source), ConfigFile.class);
    } catch (JsonProcessingException e) {
      throw new ConfigException(source + ": " + explain(e));
    }
    return new Build(source).config(file1);
  }

  /** A config for one shop given on the command line, with defaults for everything else. */
  public AppConfig singleShop(ShopFlags flags) {
    ConfigFile.Shop shop =
        new ConfigFile.Shop(
            flags.domain(),
            flags.token(),
            flags.clientId(),
            flags.clientSecret(),
            flags.refreshToken(),
            flags.apiUrl(),
            null,
            null,
            null);
    return new Build("command line")
        .config(
            new ConfigFile(
                null, List.of(shop), null, null, null, null, null, null, null, null, null));
  }

  /** Turns a bound file into the configuration, validating it; knows where it came from. */
  private final class Build {
    private final String source;
    private final boolean commandLine;

    Build(String source) {
      this.source = source;
      this.commandLine = source.equals("command line");
    }

    AppConfig config(ConfigFile f) {
      Optional<AppConfig.AppSettings> app = app(f.app());
      if ((f.shops() == null || f.shops().isEmpty()) && app.isEmpty()) {
        throw problem(
            "'shops' must list at least one shop, e.g.\nshops:\n  - domain: "
                + "my-store.myshopify.com\n    token: ${SHOPIFY_ACCESS_TOKEN}");
      }
      List<ShopConfig> shops = new ArrayList<>();
      Set<ShopDomain> seen = new HashSet<>();
      for (int i = 0; f.shops() != null && i < f.shops().size(); i++) {
        ShopConfig shop = shop(f.shops().get(i), "shops[" + i + "]");
        if (!seen.add(shop.domain())) {
          throw problem("shops[" + i + "].domain: " + shop.domain() + " is listed twice");
        }
        shops.add(shop);
      }
      ConfigFile.Sync sync =
          f.sync() != null
              ? f.sync()
              : new ConfigFile.Sync(null, null, null, null, null, null, null);
      SyncSettings d = SyncSettings.defaults();
      Duration maxWindow = or(sync.maxWindow(), d.maxWindow());
      if (maxWindow.compareTo(Duration.ofSeconds(1)) < 0) {
        throw problem("sync.maxWindow must be at least 1s; got " + maxWindow);
      }
      SyncSettings syncSettings =
          new SyncSettings(
              or(sync.settleLag(), d.settleLag()),
              or(sync.overlap(), d.overlap()),
              maxWindow,
              or(sync.initialLookback(), d.initialLookback()),
              or(sync.webhookGrace(), d.webhookGrace()),
              range(
                  "sync.bulkThreshold",
                  sync.bulkThreshold(),
                  d.bulkThreshold(),
                  0,
                  Integer.MAX_VALUE,
                  " (0 never reads through a bulk operation)"));
      ConfigFile.Reconcile rec =
          f.reconcile() != null ? f.reconcile() : new ConfigFile.Reconcile(null, null, null, null);
      AppConfig.ReconcileSettings rd = AppConfig.ReconcileSettings.defaults();
      AppConfig.ReconcileSettings reconcile =
          new AppConfig.ReconcileSettings(
              or(rec.nightlyAt(), rd.nightlyAt()),
              range(
                  "reconcile.days",
                  rec.days(),
                  rd.days(),
                  1,
                  60,
                  " (Shopify shows 60 days of orders without read_all_orders)"),
              positive("reconcile.sweepInterval", or(rec.sweepInterval(), rd.sweepInterval())),
              positive("reconcile.sweepLookback", or(rec.sweepLookback(), rd.sweepLookback())));
      ConfigFile.Client client =
          f.client() != null ? f.client() : new ConfigFile.Client(null, null, null);
      AppConfig.ClientSettings cd = AppConfig.ClientSettings.defaults();
      AppConfig.ClientSettings clientSettings =
          new AppConfig.ClientSettings(
              positive("client.connectTimeout", or(client.connectTimeout(), cd.connectTimeout())),
              positive("client.requestTimeout", or(client.requestTimeout(), cd.requestTimeout())),
              range("client.maxAttempts", client.maxAttempts(), cd.maxAttempts(), 1, 100, ""));
      return new AppConfig(
          shops,
          Optional.ofNullable(f.database()),
          syncSettings,
          positive("sync.interval", or(sync.interval(), AppConfig.DEFAULT_SYNC_INTERVAL)),
          reconcile,
          clientSettings,
          http(f.http()),
          webhooks(f.webhooks()),
          feed(f.feed()),
          alerts(f.alerts()),
          new AppConfig.RunSettings(
              range(
                  "run.threads",
                  f.run() == null ? null : f.run().threads(),
                  AppConfig.RunSettings.defaults().threads(),
                  1,
                  256,
                  "")),
          app);
    }

    /** {@code app:}: the public app merchants install; absent when not configured. */
    private Optional<AppConfig.AppSettings> app(ConfigFile.App a) {
      if (a == null) {
        return Optional.empty();
      }
      if (a.clientId() == null || a.clientId().isBlank()) {
        throw problem(
            "app.clientId is required: the app's client ID from its settings in Shopify's Dev "
                + "Dashboard");
      }
      if (a.clientSecret() == null || a.clientSecret().isBlank()) {
        throw problem(
            "app.clientSecret is required: write it as ${SHOPIFY_CLIENT_SECRET} and set that "
                + "variable to the app's client secret");
      }
      if (a.url() == null || a.url().isBlank()) {
        throw problem(
            "app.url is required: this service's public base URL, e.g. https://sync.example.com");
      }
      URI url =
          httpsOrLoopback(
              "app.url",
              a.url(),
              "https://sync.example.com",
              ": Shopify sends merchants and webhooks there");
      List<String> scopes = scopes(a.scopes());
      if (!scopes.contains("read_orders")) {
        throw problem("app.scopes must include read_orders; got " + String.join(",", scopes));
      }
      String shopifyUrl =
          a.shopifyUrl() == null ? AppConfig.AppSettings.DEFAULT_SHOPIFY_URL : a.shopifyUrl();
      if (!shopifyUrl.contains("{shop}")) {
        throw problem(
            "app.shopifyUrl must contain {shop}, which stands for the shop's domain; got "
                + shopifyUrl);
      }
      httpsOrLoopback(
          "app.shopifyUrl",
          shopifyUrl.replace("{shop}", "shop.myshopify.com"),
          "https://{shop}",
          ": tokens are sent there");
      String migrate = a.expiringTokens() == null ? "keep" : a.expiringTokens();
      if (!List.of("keep", "migrate").contains(migrate)) {
        throw problem("app.expiringTokens must be keep or migrate; got " + migrate);
      }
      return Optional.of(
          new AppConfig.AppSettings(
              a.clientId().trim(),
              new Secret(a.clientSecret()),
              url,
              scopes,
              shopifyUrl,
              migrate.equals("migrate")));
    }

    private List<String> scopes(Object given) {
      if (given == null) {
        return AppConfig.AppSettings.DEFAULT_SCOPES;
      }
      List<String> out = new ArrayList<>();
      if (given instanceof List<?> list) {
        list.forEach(x -> out.add(String.valueOf(x).trim()));
      } else {
        for (String s : String.valueOf(given).split(",")) {
          out.add(s.trim());
        }
      }
      out.removeIf(String::isEmpty);
      for (String s : out) {
        if (!s.matches("(unauthenticated_)?(read|write)_[a-z_]{1,60}")) {
          throw problem("app.scopes: '" + s + "' is not a Shopify access scope (e.g. read_orders)");
        }
      }
      return List.copyOf(out);
    }

    /** A URL order-sync sends to: https, or plain http to this machine only. */
    private URI httpsOrLoopback(String key, String text, String example, String why) {
      URI url;
      try {
        url = URI.create(text);
      } catch (IllegalArgumentException e) {
        throw problem(key + ": not a URL; write it as " + example);
      }
      boolean loopback =
          "http".equals(url.getScheme())
              && List.of("127.0.0.1", "localhost", "[::1]").contains(url.getHost());
      if (url.getHost() == null || !"https".equals(url.getScheme()) && !loopback) {
        throw problem(
            key
                + " must be https (plain http only to this machine: 127.0.0.1, localhost, [::1])"
                + why);
      }
      return url;
    }

    private AppConfig.AlertSettings alerts(ConfigFile.Alerts a) {
      AppConfig.AlertSettings d = AppConfig.AlertSettings.defaults();
      if (a == null) {
        return d;
      }
      Optional<URI> url = Optional.empty();
      if (a.webhookUrl() != null && !a.webhookUrl().isBlank()) {
        url =
            Optional.of(
                httpsOrLoopback(
                    "alerts.webhookUrl",
                    a.webhookUrl(),
                    "https://hooks.slack.com/services/…",
                    ": alerts name shops and errors"));
      }
      String format = a.format() == null ? "slack" : a.format();
      if (!List.of("slack", "json").contains(format)) {
        throw problem("alerts.format must be slack or json; got " + format);
      }
      return new AppConfig.AlertSettings(
          url,
          format.equals("slack"),
          range("alerts.failingPasses", a.failingPasses(), d.failingPasses(), 1, 1_000, ""),
          positive("alerts.webhookSilence", or(a.webhookSilence(), d.webhookSilence())),
          positive("alerts.failedOrderAge", or(a.failedOrderAge(), d.failedOrderAge())));
    }

    private AppConfig.WebhookSettings webhooks(ConfigFile.Webhooks w) {
      AppConfig.WebhookSettings d = AppConfig.WebhookSettings.defaults();
      if (w == null) {
        return d;
      }
      Duration maxAge = positive("webhooks.maxAge", or(w.maxAge(), d.maxAge()));
      Duration retention = positive("webhooks.retention", or(w.retention(), d.retention()));
      if (retention.compareTo(maxAge) < 0) {
        throw problem(
            "webhooks.retention ("
                + retention
                + ") must be at least webhooks.maxAge ("
                + maxAge
                + "): a delivery is kept as long as Shopify's sending it again is accepted; "
                + "raise webhooks.retention or lower webhooks.maxAge");
      }
      return new AppConfig.WebhookSettings(maxAge, retention);
    }

    private AppConfig.FeedSettings feed(ConfigFile.Feed feed) {
      AppConfig.FeedSettings d = AppConfig.FeedSettings.defaults();
      if (feed == null) {
        return d;
      }
      Duration retention = positive("feed.retention", or(feed.retention(), d.retention()));
      ConfigFile.Push p = feed.push();
      if (p == null || p.url() == null) {
        return new AppConfig.FeedSettings(retention, Optional.empty());
      }
      URI url =
          httpsOrLoopback(
              "feed.push.url",
              p.url(),
              "https://oms.example.com/order-sync",
              ": orders carry personal data");
      if (p.secret() == null || p.secret().isBlank()) {
        throw problem(
            "feed.push.secret is required with feed.push.url: the receiver checks each "
                + "batch's X-OrderSync-Hmac-Sha256 with it, e.g. secret: ${ORDER_SYNC_PUSH_SECRET}");
      }
      return new AppConfig.FeedSettings(
          retention,
          Optional.of(
              new AppConfig.PushSettings(
                  url,
                  new Secret(p.secret()),
                  range(
                      "feed.push.batchSize",
                      p.batchSize(),
                      AppConfig.PushSettings.DEFAULT_BATCH_SIZE,
                      1,
                      1_000,
                      ""),
                  startAt(p.startAt()))));
    }

    private AppConfig.StartAt startAt(String given) {
      if (given == null || given.isBlank()) {
        return AppConfig.StartAt.BEGINNING;
      }
      return switch (given.trim()) {
        case "beginning" -> AppConfig.StartAt.BEGINNING;
        case "now" -> AppConfig.StartAt.NOW;
        default ->
            throw problem(
                "feed.push.startAt must be beginning (the oldest change kept) or now (the feed's "
                    + "head, after filling the receiver from orders export); got "
                    + given);
      };
    }

    private AppConfig.HttpSettings http(ConfigFile.Http http) {
      AppConfig.HttpSettings d = AppConfig.HttpSettings.defaults();
      if (http == null) {
        http = new ConfigFile.Http(null, null, null, null, null);
      }
      List<Secret> tokens = new ArrayList<>();
      for (String t : http.apiTokens() == null ? List.<String>of() : http.apiTokens()) {
        if (t != null && !t.isBlank()) {
          tokens.add(new Secret(t));
        }
      }
      String fromEnv = env.apply("ORDER_SYNC_API_TOKEN");
      if (tokens.isEmpty() && fromEnv != null && !fromEnv.isBlank()) {
        tokens.add(new Secret(fromEnv));
      }
      return new AppConfig.HttpSettings(
          or(http.host(), d.host()),
          range("http.port", http.port(), d.port(), 0, 65535, ""),
          or(http.adminHost(), d.adminHost()),
          http.adminPort() == null
              ? null
              : range("http.adminPort", http.adminPort(), 0, 0, 65535, ""),
          tokens);
    }

    private ShopConfig shop(ConfigFile.Shop s, String key) {
      String domain = s.domain();
      if (!ShopDomain.isValid(domain)) {
        throw problem(
            key(key, "domain", "--shop")
                + ": '"
                + domain
                + "' is not a shop domain; "
                + "write it as my-store.myshopify.com");
      }
      Optional<URI> url = Optional.empty();
      if (s.apiUrl() != null) {
        try {
          URI u = URI.create(s.apiUrl());
          if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme())) {
            throw new IllegalArgumentException("not http(s)");
          }
          url = Optional.of(u);
        } catch (IllegalArgumentException e) {
          throw problem(
              key(key, "apiUrl", "--api-url") + ": '" + s.apiUrl() + "' is not an http(s) URL");
        }
      }
      String apiVersion = s.apiVersion() == null ? DEFAULT_API_VERSION : s.apiVersion();
      if (!API_VERSION.matcher(apiVersion).matches()) {
        throw problem(
            key
                + ".apiVersion: '"
                + apiVersion
                + "' is not an API version such as "
                + DEFAULT_API_VERSION);
      }
      Optional<ZoneId> zone = Optional.empty();
      if (s.timezone() != null) {
        try {
          zone = Optional.of(ZoneId.of(s.timezone()));
        } catch (DateTimeException e) {
          throw problem(
              key
                  + ".timezone: '"
                  + s.timezone()
                  + "' is not an IANA time zone "
                  + "such as America/New_York");
        }
      }
      List<String> secrets = s.webhookSecrets() == null ? List.of() : s.webhookSecrets();
      if (secrets.isEmpty()) {
        // the environment's secrets, current first, then the one being rotated out
        secrets = new ArrayList<>();
        for (String var : List.of("SHOPIFY_WEBHOOK_SECRET", "SHOPIFY_WEBHOOK_SECRET_PREVIOUS")) {
          if (env.apply(var) != null) {
            secrets.add(env.apply(var));
          }
        }
      }
      return new ShopConfig(
          ShopDomain.of(domain),
          credentials(s, key, domain),
          url,
          apiVersion,
          zone,
          secrets.stream().filter(x -> x != null && !x.isBlank()).map(Secret::new).toList());
    }

    /**
     * The shop's credentials: from its keys (the flags, for the single shop of the command line,
     * which falls back on SHOPIFY_ACCESS_TOKEN, SHOPIFY_CLIENT_ID, SHOPIFY_CLIENT_SECRET and
     * SHOPIFY_REFRESH_TOKEN). A client id and secret with a refresh token: an expiring offline
     * token; with a token: a public app's non-expiring offline token, exchanged for an expiring
     * pair by {@code credentials migrate}; alone: the client credentials grant.
     */
    private Credentials credentials(ConfigFile.Shop s, String key, String domain) {
      String token = given(s.token(), "SHOPIFY_ACCESS_TOKEN");
      String clientId = given(s.clientId(), "SHOPIFY_CLIENT_ID");
      String clientSecret = given(s.clientSecret(), "SHOPIFY_CLIENT_SECRET");
      String refresh = given(s.refreshToken(), "SHOPIFY_REFRESH_TOKEN");
      if (clientId != null || clientSecret != null) {
        if (clientId == null || clientSecret == null) {
          throw problem(
              key(
                      key,
                      clientId == null ? "clientId" : "clientSecret",
                      clientId == null ? "--client-id" : "--client-secret")
                  + " is missing for "
                  + domain
                  + ": the client credentials are an id and a secret, from the app's "
                  + "settings in the Dev Dashboard");
        }
        if (refresh != null) {
          return new Credentials.RefreshToken(
              clientId, new Secret(clientSecret), new Secret(refresh));
        }
        // a token beside the app's id and secret: a public app's offline token, to migrate
        return token != null
            ? new Credentials.OfflineToken(clientId, new Secret(clientSecret), new Secret(token))
            : new Credentials.ClientCredentials(clientId, new Secret(clientSecret));
      }
      if (token == null && credentialsOptional) {
        return new Credentials.NotGiven();
      }
      if (token == null) {
        throw problem(
            key(key, "token", "--token")
                + " is missing for "
                + domain
                + "; give "
                + "the Admin API access token (shpat_...), best as ${SHOPIFY_ACCESS_TOKEN} from the "
                + "environment, or the app's clientId and clientSecret");
      }
      return new Credentials.AccessToken(new Secret(token));
    }

    /** A shop's key; for the single shop of the command line, else its environment variable. */
    private String given(String value, String envVar) {
      if (value != null && !value.isBlank()) {
        return value;
      }
      String fromEnv = commandLine ? env.apply(envVar) : null;
      return fromEnv == null || fromEnv.isBlank() ? null : fromEnv;
    }

    private String key(String key, String field, String flag) {
      return commandLine ? flag : key + "." + field;
    }

    private int range(String key, Integer value, int dflt, int min, int max, String why) {
      int v = value == null ? dflt : value;
      if (v < min || v > max) {
        throw problem(
            key + " must be from " + min + " to " + max + ", a whole number" + why + "; got " + v);
      }
      return v;
    }

    private Duration positive(String key, Duration d) {
      if (d.isNegative() || d.isZero()) {
        throw problem(key + " must be a positive duration such as 90s or 5m; got " + d);
      }
      return d;
    }

    private ConfigException problem(String message) {
      return new ConfigException(source + ": " + message);
    }
  }

  private static <T> T or(T value, T dflt) {
    return value == null ? dflt : value;
  }

  /** The tree with every ${VAR} replaced; an unset variable is an error naming its key. */
  private JsonNode expand(JsonNode node, String key, String source) {
    if (node instanceof ObjectNode o) {
      List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
      o.fields().forEachRemaining(fields::add);
      for (Map.Entry<String, JsonNode> e : fields) {
        o.set(
            e.getKey(),
            expand(e.getValue(), key.isEmpty() ? e.getKey() : key + "." + e.getKey(), source));
      }
    } else if (node instanceof ArrayNode a) {
      for (int i = 0; i < a.size(); i++) {
        a.set(i, expand(a.get(i), key + "[" + i + "]", source));
      }
    } else if (node.isTextual()) {
      Matcher m = ENV.matcher(node.asText());
      StringBuilder out = new StringBuilder();
      while (m.find()) {
        String v = env.apply(m.group(1));
        if (v == null) {
          throw new ConfigException(
              source
                  + ": "
                  + key
                  + " refers to ${"
                  + m.group(1)
                  + "}, but that environment variable is not set");
        }
        m.appendReplacement(out, Matcher.quoteReplacement(v));
      }
      m.appendTail(out);
      return new TextNode(out.toString());
    }
    return node;
  }

  /** A binding error as "key: what is wrong; what to write". */
  private static String explain(JsonProcessingException e) {
    if (!(e instanceof JsonMappingException m)) {
      return "cannot be read: " + e.getOriginalMessage();
    }
    String key = path(m.getPath());
    if (m instanceof UnrecognizedPropertyException u) {
      String known =
          u.getKnownPropertyIds() == null
              ? ""
              : u.getKnownPropertyIds().stream()
                  .map(Object::toString)
                  .sorted()
                  .collect(Collectors.joining(", "));
      return "unknown key '" + key + "'; known keys there: " + known;
    }
    Object value = m instanceof InvalidFormatException f ? f.getValue() : null;
    Class<?> type = m instanceof MismatchedInputException f ? f.getTargetType() : null;
    String given = value == null ? "" : " '" + value + "'";
    if (type == Duration.class) {
      return key
          + ":"
          + given
          + " is not a duration; write it as 90s, 5m, 1h, 2d or ISO-8601 "
          + "(PT5M)";
    }
    if (type == LocalTime.class) {
      return key + ":" + given + " is not a time of day such as 00:00 or 02:30";
    }
    if (type == Integer.class || type == int.class) {
      return key + ":" + given + " is not a whole number";
    }
    return key
        + ": "
        + (m.getOriginalMessage() == null
            ? "not what is expected here"
            : m.getOriginalMessage().lines().findFirst().orElse(""));
  }

  private static String path(List<JsonMappingException.Reference> path) {
    StringBuilder b = new StringBuilder();
    for (JsonMappingException.Reference r : path) {
      if (r.getFieldName() != null) {
        b.append(b.length() == 0 ? "" : ".").append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        b.append('[').append(r.getIndex()).append(']');
      }
    }
    return b.toString();
  }

  private static ObjectMapper strictMapper() {
    ObjectMapper mapper = new ObjectMapper(new YAMLFactory());
    mapper.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    mapper.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
    mapper
        .coercionConfigFor(LogicalType.Integer)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
    SimpleModule values = new SimpleModule();
    values.addDeserializer(
        Duration.class,
        new JsonDeserializer<>() {
          @Override
          public Duration deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
            String text = p.getValueAsString();
            try {
              return Durations.parse(text == null ? p.getText() : text);
            } catch (IllegalArgumentException e) {
              throw InvalidFormatException.from(p, "not a duration", p.getText(), Duration.class);
            }
          }
        });
    values.addDeserializer(
        LocalTime.class,
        new JsonDeserializer<>() {
          @Override
          public LocalTime deserialize(JsonParser p, DeserializationContext ctx)
              throws IOException {
            if (p.currentToken().isNumeric()) {
              // YAML 1.1 reads an unquoted 01:30 as the base-60 number 90: minutes of the day
              int minutes = p.getIntValue();
              if (minutes >= 0 && minutes < 24 * 60) {
                return LocalTime.of(minutes / 60, minutes % 60);
              }
            } else {
              try {
                return LocalTime.parse(p.getText());
              } catch (DateTimeException e) {
                // reported below
              }
            }
            throw InvalidFormatException.from(p, "not a time of day", p.getText(), LocalTime.class);
          }
        });
    mapper.registerModule(values);
    return mapper;
  }
}
