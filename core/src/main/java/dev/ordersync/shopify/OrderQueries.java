package dev.ordersync.shopify;

/**
 * Every GraphQL document order-sync sends. SchemaFidelityTest validates each one against Shopify's
 * published Admin schema.
 */
public final class OrderQueries {
  private OrderQueries() {}

  /** Line items fetched with the order; an order with more gets the rest by {@link #LINE_ITEMS}. */
  public static final int NESTED_LINE_ITEMS = 10;

  /** What the rest of an order's line items cost: 100 of them, 6 points each, and the order. */
  static final int LINE_ITEMS_COST = 3 + 100 * 6;

  private static final String MONEY = "{ shopMoney { amount currencyCode } }";

  /** Both currencies, for the totals an OMS shows the customer. */
  private static final String MONEY_BOTH =
      "{ shopMoney { amount currencyCode } " + "presentmentMoney { amount currencyCode } }";

  private static final String ADDRESS =
      "{ firstName lastName company address1 address2 city "
          + "province provinceCode country countryCodeV2 zip phone }";
  private static final String LINE_ITEM =
      "{ id sku title quantity currentQuantity "
          + "variant { id } originalUnitPriceSet "
          + MONEY
          + " discountedTotalSet(withCodeDiscounts: true) "
          + MONEY
          + " }";

  /** Every field of an order but its connections. */
  private static final String ORDER_SCALARS =
      "id legacyResourceId name "
          + "number createdAt updatedAt processedAt cancelledAt cancelReason closedAt test sourceName "
          + "email phone displayFinancialStatus displayFulfillmentStatus currencyCode "
          + "presentmentCurrencyCode discountCodes "
          + "totalPriceSet "
          + MONEY_BOTH
          + " subtotalPriceSet "
          + MONEY
          + " totalTaxSet "
          + MONEY
          + " totalShippingPriceSet "
          + MONEY
          + " totalDiscountsSet "
          + MONEY
          + " currentTotalPriceSet "
          + MONEY_BOTH
          + " currentSubtotalPriceSet "
          + MONEY
          + " currentTotalTaxSet "
          + MONEY
          + " currentTotalDiscountsSet "
          + MONEY
          + " totalRefundedSet "
          + MONEY
          + " customer { id firstName lastName defaultEmailAddress { emailAddress } }"
          + " shippingAddress "
          + ADDRESS
          + " billingAddress "
          + ADDRESS
          + " tags note";

  private static final String SHIPPING_LINE = "{ title code originalPriceSet " + MONEY + " }";

  static final String ORDER_FIELDS =
      "fragment OrderFields on Order { "
          + ORDER_SCALARS
          + " shippingLines(first: 2) { nodes "
          + SHIPPING_LINE
          + " }"
          + " lineItems(first: "
          + NESTED_LINE_ITEMS
          + ") { nodes "
          + LINE_ITEM
          + " pageInfo { hasNextPage endCursor } } }";

  /**
   * The bulk query of every order {@code search} finds, with all its line items (each a JSONL line
   * of its own after its order). A bulk query may nest only connections of nodes, and a shipping
   * line is not one: it takes the order's first shipping line ({@code shippingLine}).
   */
  public static String bulkOrders(String search) {
    return "{ orders(query: \""
        + search.replace("\\", "\\\\").replace("\"", "\\\"")
        + "\") { edges { node { "
        + ORDER_SCALARS
        + " shippingLine "
        + SHIPPING_LINE
        + " lineItems { edges { node "
        + LINE_ITEM
        + " } } } } } }";
  }

  /** Starts a bulk query, its results grouped: each order's line items right after it. */
  public static final String BULK_RUN =
      "mutation BulkRun($query: String!) { bulkOperationRunQuery(query: $query, "
          + "groupObjects: true) { bulkOperation { id status } userErrors { code field message } } }";

  public static final String BULK_STATUS =
      "query BulkStatus($id: ID!) { bulkOperation(id: $id) { id status errorCode objectCount "
          + "rootObjectCount url partialDataUrl } }";

  public static final String BULK_CANCEL =
      "mutation BulkCancel($id: ID!) { bulkOperationCancel(id: $id) { bulkOperation { id status } "
          + "userErrors { field message } } }";

  /** Ids only: what a full comparison lists. */
  public static final String ORDER_IDS =
      "query OrderIds($first: Int!, $after: String, "
          + "$query: String!) { orders(first: $first, after: $after, query: $query, "
          + "sortKey: CREATED_AT) { nodes { id createdAt } pageInfo { hasNextPage endCursor } } }";

  /** Which version of each order search lists: what the re-read compares with the store. */
  public static final String ORDER_VERSIONS =
      "query OrderVersions($first: Int!, $after: String, "
          + "$query: String!) { orders(first: $first, after: $after, query: $query, "
          + "sortKey: UPDATED_AT) { nodes { id updatedAt } pageInfo { hasNextPage endCursor } } }";

  /** An exact count: {@code limit: null} lifts the default cap of 10,000. */
  public static final String ORDERS_COUNT =
      "query OrdersCount($query: String!) { "
          + "ordersCount(query: $query, limit: null) { count precision } }";

  /** Orders by id, which sees new orders before search does. */
  public static final String ORDERS_BY_ID =
      "query OrdersById($ids: [ID!]!) { nodes(ids: $ids) "
          + "{ ... on Order { ...OrderFields } } } "
          + ORDER_FIELDS;

  /** Which of these orders exist, whatever search lists: a point or so per id. */
  public static final String ORDERS_EXIST =
      "query OrdersExist($ids: [ID!]!) { nodes(ids: $ids) " + "{ ... on Order { id } } }";

  /** The rest of an order's line items. */
  public static final String LINE_ITEMS =
      "query LineItems($id: ID!, $after: String) { "
          + "order(id: $id) { lineItems(first: 100, after: $after) { nodes "
          + LINE_ITEM
          + " pageInfo { hasNextPage endCursor } } } }";

  public static final String SHOP = "query Shop { shop { name myshopifyDomain ianaTimezone } }";

  /** What the merchant granted the app at install. */
  public static final String SCOPES =
      "query Scopes { currentAppInstallation { accessScopes { " + "handle } } }";

  /** The app's webhook subscriptions (at most 100: order-sync makes a handful). */
  public static final String WEBHOOKS =
      "query Webhooks { webhookSubscriptions(first: 100) { " + "nodes { id topic uri } } }";

  /** A trial read of protected customer data: refused (ACCESS_DENIED) without the approval. */
  public static final String CUSTOMER_DATA =
      "query CustomerData { orders(first: 1) { nodes { "
          + "id customer { firstName lastName defaultEmailAddress { emailAddress } } "
          + "shippingAddress { address1 } } } }";

  public static final String WEBHOOK_CREATE =
      "mutation WebhookCreate($topic: "
          + "WebhookSubscriptionTopic!, $uri: String!) { webhookSubscriptionCreate(topic: $topic, "
          + "webhookSubscription: { uri: $uri, format: JSON }) { webhookSubscription { id topic } "
          + "userErrors { field message } } }";
}
