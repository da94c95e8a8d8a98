package dev.ordersync.simulator.bulk;

import dev.ordersync.simulator.search.SearchParser;
import dev.ordersync.simulator.search.SearchQuery;
import dev.ordersync.simulator.search.SearchSyntaxException;
import dev.ordersync.simulator.store.SimOrder;
import dev.ordersync.simulator.store.SimShop;
import graphql.language.Argument;
import graphql.language.Document;
import graphql.language.Field;
import graphql.language.FragmentDefinition;
import graphql.language.OperationDefinition;
import graphql.language.StringValue;
import graphql.parser.InvalidSyntaxException;
import graphql.parser.Parser;
import graphql.schema.GraphQLSchema;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Shopify's bulk query operations for one shop ({@code bulkOperationRunQuery}, {@code
 * bulkOperation}, {@code currentBulkOperation}, {@code bulkOperationCancel}): the query's orders
 * are found when it is created, processed in the background at a set rate of objects a second, and
 * served as JSONL at a signed URL that expires seven days after the run ends. Up to five queries
 * run at once from API 2026-01, one before. A planned failure ends the next run FAILED with a
 * {@code partialDataUrl}.
 */
public final class BulkOperations {
  public static final String GID = "gid://shopify/BulkOperation/";
  static final Duration RESULTS_KEPT = Duration.ofDays(7);
  static final int SLICE = 250;

  /** Runs a bulk query over some orders: the nodes of its root connection, as GraphQL answers. */
  public interface Renderer {
    List<Map<String, Object>> render(Document document, List<SimOrder> orders);
  }

  private final SimShop shop;
  private final GraphQLSchema schema;
  private final Renderer renderer;
  private final Supplier<String> baseUrl;
  private final byte[] urlKey = new byte[32];
  private final Map<Long, BulkRun> runs = new ConcurrentHashMap<>();
  private final AtomicLong numbers = new AtomicLong(720_918_000L);
  private volatile double objectsPerSecond = 20_000;
  private volatile BulkRun.Failure nextFailure;

  public BulkOperations(
      SimShop shop, GraphQLSchema schema, Renderer renderer, Supplier<String> baseUrl) {
    this.shop = shop;
    this.schema = schema;
    this.renderer = renderer;
    this.baseUrl = baseUrl;
    new SecureRandom().nextBytes(urlKey);
  }

  /** How many objects (orders and line items) Shopify processes a second, for runs from now. */
  public void setRate(double objectsPerSecond) {
    if (!(objectsPerSecond > 0)) {
      throw new IllegalArgumentException("the rate must be a positive number of objects a second");
    }
    this.objectsPerSecond = objectsPerSecond;
  }

  /** The next run fails with {@code errorCode} when {@code fraction} of its objects are done. */
  public void failNext(String errorCode, double fraction) {
    if (!List.of("INTERNAL_SERVER_ERROR", "TIMEOUT", "ACCESS_DENIED").contains(errorCode)) {
      throw new IllegalArgumentException("unknown bulk error code '" + errorCode + "'");
    }
    if (fraction < 0 || fraction >= 1) {
      throw new IllegalArgumentException("the fraction must be in [0, 1)");
    }
    this.nextFailure = new BulkRun.Failure(errorCode, fraction);
  }

  /** How many runs were started: what a test counts to see that a resumed run started none. */
  public int started() {
    return runs.size();
  }

  /** {@code bulkOperationRunQuery}: the payload, with userErrors when the query may not run. */
  public Map<String, Object> run(String query, boolean groupObjects, String apiVersion) {
    Instant now = shop.clock().instant();
    Document doc;
    try {
      doc = Parser.parse(query);
    } catch (InvalidSyntaxException e) {
      return refused("INVALID", "Invalid bulk query: " + e.getMessage());
    }
    Optional<String> problem = BulkQueryRules.problem(schema, doc);
    if (problem.isPresent()) {
      return refused("INVALID", problem.get());
    }
    List<SimOrder> roots;
    try {
      roots = matching(doc);
    } catch (SearchSyntaxException e) {
      return refused("INVALID", "Invalid bulk query: " + e.getMessage());
    }
    synchronized (this) {
      boolean before2026 = apiVersion != null && apiVersion.compareTo("2026-01") < 0;
      long running = runs.values().stream().filter(r -> r.state(now).running()).count();
      if (running >= (before2026 ? 1 : 5)) {
        return before2026
            ? refused(
                "OPERATION_IN_PROGRESS",
                "A bulk query operation for this app and shop is already in progress.")
            : refused("LIMIT_REACHED", "Bulk operations limit reached. Please try again later.");
      }
      boolean nested = BulkQueryRules.hasNestedConnection(schema, doc);
      long objects = roots.size();
      if (nested) {
        for (SimOrder o : roots) {
          objects += o.lineItems().size();
        }
      }
      BulkRun run =
          new BulkRun(
              numbers.incrementAndGet(),
              query,
              doc,
              groupObjects,
              now,
              roots,
              objects,
              objectsPerSecond,
              nextFailure);
      nextFailure = null;
      runs.put(run.number, run);
      Map<String, Object> payload = new LinkedHashMap<>();
      payload.put("bulkOperation", view(run, now));
      payload.put("userErrors", List.of());
      return payload;
    }
  }

  /** {@code bulkOperation(id:)}: null for an id the shop does not have. */
  public Map<String, Object> find(String gid) {
    BulkRun run = byGid(gid);
    return run == null ? null : view(run, shop.clock().instant());
  }

  /** {@code currentBulkOperation}: the most recent query run. */
  public Map<String, Object> current() {
    return runs.values().stream()
        .max(Comparator.comparingLong(r -> r.number))
        .map(r -> view(r, shop.clock().instant()))
        .orElse(null);
  }

  /** {@code bulkOperationCancel}. */
  public Map<String, Object> cancel(String gid) {
    Instant now = shop.clock().instant();
    BulkRun run = byGid(gid);
    Map<String, Object> payload = new LinkedHashMap<>();
    if (run == null) {
      payload.put("bulkOperation", null);
      payload.put(
          "userErrors",
          List.of(Map.of("field", List.of("id"), "message", "Bulk operation does not exist")));
      return payload;
    }
    if (!run.state(now).running()) {
      payload.put("bulkOperation", view(run, now));
      payload.put(
          "userErrors",
          List.of(
              Map.of(
                  "field",
                  List.of("id"),
                  "message",
                  "A bulk operation cannot be canceled when it is "
                      + run.state(now).status().toLowerCase())));
      return payload;
    }
    run.cancel(now);
    Map<String, Object> op = view(run, now);
    op.put("status", "CANCELING");
    payload.put("bulkOperation", op);
    payload.put("userErrors", List.of());
    return payload;
  }

  /** A result file asked for at its URL: why it cannot be had, or empty when it can. */
  public Optional<String> refusal(String file, String expires, String signature) {
    Instant now = shop.clock().instant();
    long until;
    try {
      until = Long.parseLong(expires);
    } catch (NumberFormatException e) {
      return Optional.of("403 Missing or malformed expiry");
    }
    if (signature == null
        || !MessageDigest.isEqual(
            sign(file, until).getBytes(StandardCharsets.US_ASCII),
            signature.getBytes(StandardCharsets.US_ASCII))) {
      return Optional.of("403 SignatureDoesNotMatch");
    }
    if (now.getEpochSecond() > until) {
      return Optional.of("400 ExpiredToken: Request has expired");
    }
    return runOf(file) == null ? Optional.of("404 NoSuchKey") : Optional.empty();
  }

  /** Writes a result file as JSONL: the run's orders, or the part a failed run got through. */
  public void write(String file, OutputStream out) throws IOException {
    BulkRun run = runOf(file);
    BulkRun.State state = run.state(shop.clock().instant());
    int count = (int) Math.min(run.roots.size(), state.rootsInFile());
    JsonlWriter writer = new JsonlWriter(out, run.groupObjects);
    for (int i = 0; i < count; i += SLICE) {
      List<SimOrder> slice = run.roots.subList(i, Math.min(count, i + SLICE));
      writer.write(renderer.render(run.document, slice));
    }
    writer.flush();
  }

  private BulkRun runOf(String file) {
    String name = file.replace("-partial", "");
    if (!name.endsWith(".jsonl")) {
      return null;
    }
    try {
      return runs.get(Long.parseLong(name.substring(0, name.length() - ".jsonl".length())));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private BulkRun byGid(String gid) {
    if (gid == null || !gid.startsWith(GID)) {
      return null;
    }
    try {
      return runs.get(Long.parseLong(gid.substring(GID.length())));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private List<SimOrder> matching(Document doc) {
    Map<String, FragmentDefinition> fragments =
        doc.getDefinitionsOfType(FragmentDefinition.class).stream()
            .collect(Collectors.toMap(FragmentDefinition::getName, Function.identity()));
    Field orders =
        BulkQueryRules.fields(
                doc.getDefinitionsOfType(OperationDefinition.class).get(0).getSelectionSet(),
                fragments)
            .get(0);
    Argument search =
        orders.getArguments().stream()
            .filter(a -> a.getName().equals("query"))
            .findFirst()
            .orElse(null);
    String text =
        search != null && search.getValue() instanceof StringValue s ? s.getValue() : null;
    SearchQuery q = SearchParser.parse(text, shop.zone(), shop.now());
    List<SimOrder> out = new ArrayList<>();
    for (SimShop.Indexed hit : shop.searchable(q.created(), q.updated())) {
      if (q.matches(hit.indexed())) {
        out.add(hit.current());
      }
    }
    out.sort(Comparator.comparingLong(SimOrder::id));
    return List.copyOf(out);
  }

  private Map<String, Object> view(BulkRun run, Instant now) {
    BulkRun.State s = run.state(now);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("__typename", "BulkOperation");
    m.put("id", GID + run.number);
    m.put("status", s.status());
    m.put("errorCode", s.errorCode());
    m.put("createdAt", run.createdAt);
    m.put("completedAt", s.completedAt());
    m.put("objectCount", s.objectCount());
    m.put("rootObjectCount", s.rootObjectCount());
    m.put("fileSize", null);
    m.put("url", s.status().equals("COMPLETED") && s.rootsInFile() > 0 ? url(run, "", s) : null);
    m.put("partialDataUrl", s.partial() && s.rootsInFile() > 0 ? url(run, "-partial", s) : null);
    m.put("query", run.query);
    m.put("type", "QUERY");
    return m;
  }

  private String url(BulkRun run, String suffix, BulkRun.State s) {
    String file = run.number + suffix + ".jsonl";
    long expires = s.completedAt().plus(RESULTS_KEPT).getEpochSecond();
    return baseUrl.get()
        + "/bulk-results/"
        + file
        + "?expires="
        + expires
        + "&signature="
        + sign(file, expires);
  }

  private String sign(String file, long expires) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(urlKey, "HmacSHA256"));
      return HexFormat.of()
          .formatHex(mac.doFinal((file + ":" + expires).getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Map<String, Object> refused(String code, String message) {
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("bulkOperation", null);
    payload.put(
        "userErrors", List.of(Map.of("code", code, "field", List.of("query"), "message", message)));
    return payload;
  }
}
