package dev.ordersync.simulator.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ordersync.simulator.Simulator;
import dev.ordersync.simulator.cost.Plan;
import dev.ordersync.simulator.faults.Fault;
import dev.ordersync.simulator.store.SimOrder;
import dev.ordersync.simulator.time.VirtualClock;
import dev.ordersync.simulator.traffic.TrafficGenerator;
import dev.ordersync.simulator.traffic.TrafficShape;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The control API, for scripting the simulator from outside (the chaos run, a person with curl):
 * faults, outages, index lag, plan, traffic, the clock, and the list of orders it holds.
 */
public final class ControlApi {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Simulator sim;
  private final TrafficGenerator generator;

  public ControlApi(Simulator sim, long seed) {
    this.sim = sim;
    this.generator = new TrafficGenerator(seed + 2, sim.shop().zone());
  }

  /** Its routes at {@code /control/...}, for a simulator with a server of its own. */
  public void register(RoutesConfig routes) {
    register(routes, "/control", ctx -> this);
  }

  /**
   * The control routes under {@code prefix}, each answered by the control API {@code controlOf}
   * picks for the request (a fleet's: the one of the shop in the path).
   */
  public static void register(
      RoutesConfig routes, String prefix, Function<Context, ControlApi> controlOf) {
    routes.get(prefix + "/stats", ctx -> controlOf.apply(ctx).stats(ctx));
    routes.get(prefix + "/orders", ctx -> controlOf.apply(ctx).orders(ctx));
    routes.post(prefix + "/orders", ctx -> guarded(ctx, controlOf, ControlApi::createOrders));
    routes.post(
        prefix + "/orders/{id}/delete",
        ctx -> guarded(ctx, controlOf, (api, body) -> api.deleteOrder(ctx.pathParam("id"))));
    routes.post(prefix + "/faults", ctx -> guarded(ctx, controlOf, ControlApi::faults));
    routes.post(prefix + "/webhooks", ctx -> guarded(ctx, controlOf, ControlApi::webhooks));
    routes.post(prefix + "/index-lag", ctx -> guarded(ctx, controlOf, ControlApi::indexLag));
    routes.post(prefix + "/plan", ctx -> guarded(ctx, controlOf, ControlApi::plan));
    routes.post(prefix + "/traffic", ctx -> guarded(ctx, controlOf, ControlApi::traffic));
    routes.post(prefix + "/bulk", ctx -> guarded(ctx, controlOf, ControlApi::bulk));
    routes.post(prefix + "/clock", ctx -> guarded(ctx, controlOf, ControlApi::clock));
    routes.post(prefix + "/app", ctx -> guarded(ctx, controlOf, ControlApi::app));
    routes.post(prefix + "/compliance", ctx -> guarded(ctx, controlOf, ControlApi::compliance));
  }

  /**
   * The merchant and the app: {@code {"grantScopes": "read_products"}} grants those scopes at the
   * next authorize (null: as asked); {@code {"uninstall": true}} uninstalls it.
   */
  private Object app(JsonNode body) {
    Map<String, Object> out = new LinkedHashMap<>();
    if (body.has("grantScopes")) {
      sim.tokens()
          .orElseThrow(() -> new BadRequest("this shop has no app (start it with a client id)"))
          .grantScopes(body.get("grantScopes").isNull() ? null : body.get("grantScopes").asText());
    }
    if (body.path("uninstall").asBoolean(false)) {
      out.put("answers", sim.uninstallApp());
    }
    out.put("ok", true);
    return out;
  }

  /**
   * One of Shopify's mandatory compliance deliveries, sent now to {@code url} (the app's compliance
   * webhook URL), signed like every delivery: {@code topic} customers/redact (with {@code
   * customerId}, {@code email}, {@code phone}, {@code ordersToRedact}), customers/data_request
   * (also {@code dataRequestId}, orders as {@code ordersRequested}) or shop/redact.
   */
  private Object compliance(JsonNode body) {
    String topic = requireText(body, "topic");
    String url = requireText(body, "url");
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("shop_id", 548380009L);
    payload.put("shop_domain", sim.shop().domain());
    List<Long> orders = new java.util.ArrayList<>();
    body.path(topic.equals("customers/data_request") ? "ordersRequested" : "ordersToRedact")
        .forEach(o -> orders.add(o.asLong()));
    Map<String, Object> customer = new LinkedHashMap<>();
    customer.put("id", body.path("customerId").asLong(0));
    customer.put("email", body.path("email").asText(null));
    customer.put("phone", body.path("phone").asText(null));
    switch (topic) {
      case "customers/redact" -> {
        payload.put("customer", customer);
        payload.put("orders_to_redact", orders);
      }
      case "customers/data_request" -> {
        payload.put("customer", customer);
        payload.put("orders_requested", orders);
        payload.put("data_request", Map.of("id", body.path("dataRequestId").asLong(9999)));
      }
      case "shop/redact" -> {}
      default ->
          throw new BadRequest(
              "topic must be customers/redact, customers/data_request or shop/redact");
    }
    return Map.of("status", sim.webhooks().sendNow(topic, url, payload));
  }

  private Object deleteOrder(String idParam) {
    long id;
    try {
      id = Long.parseLong(idParam.replace("gid://shopify/Order/", ""));
    } catch (NumberFormatException e) {
      throw new BadRequest("the order id must be a number: " + idParam);
    }
    return Map.of("deleted", sim.shop().delete(id));
  }

  private Object indexLag(JsonNode body) {
    sim.shop().setIndexLag(Duration.ofSeconds(requireLong(body, "seconds")));
    return Map.of("ok", true);
  }

  private Object plan(JsonNode body) {
    sim.setPlan(Plan.valueOf(requireText(body, "plan").toUpperCase()));
    return Map.of("ok", true);
  }

  private interface Action {
    Object run(ControlApi api, JsonNode body) throws Exception;
  }

  private static void guarded(Context ctx, Function<Context, ControlApi> controlOf, Action action)
      throws Exception {
    JsonNode body;
    try {
      ControlApi api = controlOf.apply(ctx);
      body = ctx.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(ctx.body());
      if (!body.isObject()) {
        throw new BadRequest("the body must be a JSON object");
      }
      ok(ctx, action.run(api, body));
    } catch (BadRequest | IllegalArgumentException e) {
      ctx.status(400)
          .contentType("application/json")
          .result(JSON.writeValueAsString(Map.of("error", String.valueOf(e.getMessage()))));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      ctx.status(400)
          .contentType("application/json")
          .result(
              JSON.writeValueAsString(
                  Map.of("error", "the body is not valid JSON: " + e.getOriginalMessage())));
    }
  }

  private static void ok(Context ctx, Object value) throws Exception {
    ctx.contentType("application/json").result(JSON.writeValueAsString(value));
  }

  private void stats(Context ctx) throws Exception {
    ok(ctx, stats());
  }

  private Map<String, Object> stats() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("now", sim.clock().instant().toString());
    m.put("orders", sim.shop().allOrders().size());
    m.put("requests", sim.stats().requests());
    m.put("actualCost", sim.stats().actualCost());
    m.put("outcomes", sim.stats().outcomes());
    m.put("pendingTraffic", sim.traffic().remaining());
    m.put("pendingWebhooks", sim.webhooks().pendingCount());
    return m;
  }

  /** Every order, streamed: a week of a busy shop is too big to build as one string. */
  private void orders(Context ctx) throws Exception {
    sim.catchUp();
    List<SimOrder> all =
        sim.shop().allOrders().stream()
            .sorted(java.util.Comparator.comparingLong(SimOrder::id))
            .toList();
    ctx.contentType("application/json");
    try (JsonGenerator g = JSON.getFactory().createGenerator(ctx.outputStream())) {
      g.writeStartArray();
      for (SimOrder o : all) {
        g.writeStartObject();
        g.writeStringField("id", o.gid());
        g.writeStringField("name", o.name());
        g.writeStringField("createdAt", o.createdAt().toString());
        g.writeStringField("updatedAt", o.updatedAt().toString());
        g.writeStringField(
            "writtenAt", sim.shop().writtenAt(o.id()).orElse(o.createdAt()).toString());
        g.writeEndObject();
      }
      g.writeEndArray();
    }
  }

  private Object createOrders(JsonNode body) {
    int count = (int) requireLong(body, "count");
    long backdate = body.path("backdatedSeconds").asLong(0);
    Instant now = sim.shop().now();
    for (int i = 0; i < count; i++) {
      sim.shop().create(generator.draft(TrafficShape.even()), now.minusSeconds(backdate), now);
    }
    return Map.of("created", count);
  }

  private Object faults(JsonNode body) {
    if (body.path("clear").asBoolean(false)) {
      sim.faults().clear();
    }
    if (body.has("fault")) {
      sim.faults().failNext(fault(body.get("fault").asText()), (int) body.path("times").asLong(1));
    }
    if (body.has("rates")) {
      Iterator<Map.Entry<String, JsonNode>> it = body.get("rates").fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        sim.faults().rate(fault(e.getKey()), e.getValue().asDouble());
      }
    }
    if (body.has("outage")) {
      JsonNode o = body.get("outage");
      sim.faults()
          .outage(Instant.parse(requireText(o, "from")), Instant.parse(requireText(o, "to")));
    }
    if (body.has("slowMillis")) {
      sim.faults().slowDelay(Duration.ofMillis(body.get("slowMillis").asLong()));
    }
    return Map.of("ok", true);
  }

  private Object webhooks(JsonNode body) {
    sim.webhooks()
        .setFaults(
            body.path("drop").asDouble(0),
            body.path("duplicate").asDouble(0),
            Duration.ofSeconds(body.path("maxDelaySeconds").asLong(0)));
    if (body.has("secret")) {
      sim.webhooks().setSecret(body.get("secret").asText());
    }
    return Map.of("ok", true);
  }

  /** {"objectsPerSecond": n, "failNext": {"errorCode": "...", "fraction": 0.5}}. */
  private Object bulk(JsonNode body) {
    if (body.has("objectsPerSecond")) {
      sim.bulk().setRate(body.get("objectsPerSecond").asDouble());
    }
    if (body.has("failNext")) {
      JsonNode f = body.get("failNext");
      sim.bulk().failNext(requireText(f, "errorCode"), f.path("fraction").asDouble(0.5));
    }
    return Map.of("ok", true);
  }

  private Object traffic(JsonNode body) {
    int orders = (int) requireLong(body, "orders");
    long hours = body.path("hours").asLong(24);
    Instant from =
        body.has("from") ? Instant.parse(body.get("from").asText()) : sim.clock().instant();
    TrafficShape shape =
        TrafficShape.realistic().withBackdated(body.path("backdatedShare").asDouble(0));
    sim.traffic().plan(generator.between(from, from.plus(Duration.ofHours(hours)), orders, shape));
    return Map.of("planned", orders);
  }

  private Object clock(JsonNode body) {
    if (!(sim.clock() instanceof VirtualClock vc)) {
      throw new BadRequest(
          "this simulator runs on the real clock; start it with a virtual one " + "to move time");
    }
    vc.advance(Duration.ofSeconds(requireLong(body, "advanceSeconds")));
    sim.tick();
    return Map.of("now", vc.instant().toString());
  }

  private static Fault fault(String name) {
    try {
      return Fault.valueOf(name);
    } catch (IllegalArgumentException e) {
      throw new BadRequest("unknown fault '" + name + "'; known: " + List.of(Fault.values()));
    }
  }

  private static long requireLong(JsonNode body, String key) {
    JsonNode v = body.get(key);
    if (v == null || !v.canConvertToLong()) {
      throw new BadRequest("'" + key + "' is required and must be a whole number");
    }
    return v.asLong();
  }

  private static String requireText(JsonNode body, String key) {
    JsonNode v = body.get(key);
    if (v == null || !v.isTextual()) {
      throw new BadRequest("'" + key + "' is required and must be a string");
    }
    return v.asText();
  }

  static final class BadRequest extends RuntimeException {
    BadRequest(String message) {
      super(message);
    }
  }
}
