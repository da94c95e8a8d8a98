package dev.ordersync.simulator.faults;

/** The ways the simulator can fail a request, each one Shopify has been seen to do. */
public enum Fault {
  /** HTTP 500 with Shopify's error body. */
  HTTP_500,
  /** HTTP 502 Bad Gateway from the edge. */
  HTTP_502,
  /** HTTP 503, as during an outage ("Check the Shopify status page"). */
  HTTP_503,
  /** HTTP 504: Shopify gave up after 10 seconds. */
  HTTP_504,
  /** HTTP 200 with {@code errors[].extensions.code = INTERNAL_SERVER_ERROR} and no data. */
  GRAPHQL_INTERNAL_ERROR,
  /** HTTP 429 with a {@code Retry-After} header. */
  HTTP_429,
  /** The answer comes late, past a client's timeout. */
  SLOW,
  /** HTTP 200 whose body stops half way. */
  TRUNCATED_BODY
}
