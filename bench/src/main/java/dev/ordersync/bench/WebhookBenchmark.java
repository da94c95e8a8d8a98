package dev.ordersync.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ordersync.App;
import dev.ordersync.AppOptions;
import dev.ordersync.secrets.Hmac;
import dev.ordersync.secrets.Secret;
import dev.ordersync.service.HttpApi;
import dev.ordersync.simulator.Simulator;
import dev.ordersync.simulator.store.SimOrder;
import dev.ordersync.simulator.time.VirtualClock;
import dev.ordersync.simulator.traffic.TrafficGenerator;
import dev.ordersync.simulator.traffic.TrafficShape;
import dev.ordersync.simulator.webhooks.RestPayload;
import dev.ordersync.sync.CrashPoints;
import dev.ordersync.webhook.WebhookWorker;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Webhook intake on loopback: N signed orders/create deliveries from C concurrent senders to {@code
 * /webhooks/shopify}, each verified and durably recorded before its 200, with the worker processing
 * them into the store meanwhile. Deliveries per second, acknowledgement latency percentiles, a
 * check that every one was stored, and where the CPU went: the whole machine, this JVM, its
 * senders, the rest (PostgreSQL).
 */
public final class WebhookBenchmark {
  private static final String SECRET = "bench-secret";
  private static final com.sun.management.OperatingSystemMXBean PROCESS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  /** The CPU time of the live thread of this name (the first one found), in nanoseconds. */
  private static long threadCpu(String name) {
    for (java.lang.management.ThreadInfo t : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
      if (t != null && t.getThreadName().equals(name)) {
        return THREADS.getThreadCpuTime(t.getThreadId());
      }
    }
    return 0;
  }

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    int senders = args.length > 1 ? Integer.parseInt(args[1]) : 16;
    Report.machine();
    try (BenchDatabases dbs = new BenchDatabases()) {
      run("H2 file", dbs.h2("hooks"), n, senders);
      run("PostgreSQL 17", dbs.postgres("hooks"), n, senders);
    }
  }

  private static void run(String label, String url, int n, int senders) throws Exception {
    VirtualClock clock = new VirtualClock(Fixtures.dayStart());
    try (Simulator sim = Simulator.builder().clock(clock).start();
        App app =
            App.open(
                Fixtures.config(sim, List.of(new Secret(SECRET))),
                url,
                new AppOptions(java.time.Clock.systemUTC(), clock::advance, CrashPoints.NONE, 1))) {
      TrafficGenerator gen = new TrafficGenerator(4, ZoneId.of("America/New_York"));
      ObjectMapper json = new ObjectMapper();
      List<String> bodies = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        SimOrder o = sim.shop().create(gen.draft(TrafficShape.even()));
        bodies.add(json.writeValueAsString(RestPayload.order(o, sim.shop().zone())));
      }
      WebhookWorker worker = app.webhooks().worker();
      HttpApi api = app.service().httpApi(worker::wake).start("127.0.0.1", 0);
      worker.start();
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      URI uri = URI.create("http://127.0.0.1:" + api.port() + "/webhooks/shopify");
      long[] latencyNanos = new long[n];
      AtomicInteger next = new AtomicInteger();
      AtomicInteger failures = new AtomicInteger();
      ExecutorService pool = Executors.newFixedThreadPool(senders);
      AtomicLong senderCpuNanos = new AtomicLong();
      long[] machineBefore = MachineCpu.read();
      long processCpuBefore = PROCESS.getProcessCpuTime();
      long t0 = System.nanoTime();
      List<Future<?>> done = new ArrayList<>();
      for (int s = 0; s < senders; s++) {
        done.add(
            pool.submit(
                () -> {
                  long cpu0 = THREADS.getCurrentThreadCpuTime();
                  for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
                    byte[] body = bodies.get(i).getBytes(StandardCharsets.UTF_8);
                    HttpRequest req =
                        HttpRequest.newBuilder(uri)
                            .header("X-Shopify-Topic", "orders/create")
                            .header("X-Shopify-Shop-Domain", sim.shop().domain())
                            .header("X-Shopify-Webhook-Id", UUID.randomUUID().toString())
                            .header(
                                "X-Shopify-Triggered-At",
                                app.service().clock().instant().toString())
                            .header("X-Shopify-Hmac-Sha256", Hmac.sign(SECRET, body))
                            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                            .build();
                    long a = System.nanoTime();
                    try {
                      if (http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode()
                          != 200) {
                        failures.incrementAndGet();
                      }
                    } catch (Exception e) {
                      failures.incrementAndGet();
                    }
                    latencyNanos[i] = System.nanoTime() - a;
                  }
                  senderCpuNanos.addAndGet(THREADS.getCurrentThreadCpuTime() - cpu0);
                  return null;
                }));
      }
      for (Future<?> f : done) {
        f.get();
      }
      double s = (System.nanoTime() - t0) / 1e9;
      long processCpu = PROCESS.getProcessCpuTime() - processCpuBefore;
      long workerCpu = threadCpu("webhook-processor"); // started with this run: all of it is here
      long[] machineAfter = MachineCpu.read();
      pool.shutdown();
      app.webhooks().processor().processPending();
      worker.close();
      api.close();
      int stored = app.orders().stored().countAll(sim.shop().domain());
      Arrays.sort(latencyNanos);
      Report.figure(
          "webhook intake, " + label + ", " + n + " deliveries, " + senders + " senders",
          n / s,
          "deliveries/s");
      Report.figure("  acknowledgement latency p50", latencyNanos[n / 2] / 1e6, "ms");
      Report.figure("  acknowledgement latency p99", latencyNanos[(int) (n * 0.99)] / 1e6, "ms");
      Report.figure("  non-200 answers", failures.get(), "");
      Report.figure(
          "  CPU of the whole machine while sending (of "
              + Runtime.getRuntime().availableProcessors()
              + " cores)",
          MachineCpu.coresBusy(machineBefore, machineAfter),
          "cores");
      Report.figure("  CPU of this JVM per delivery", processCpu / 1e6 / n, "ms");
      Report.figure(
          "  of which the senders' threads (the HTTP client's own thread not counted)",
          senderCpuNanos.get() / 1e6 / n,
          "ms");
      Report.figure(
          "  of which the worker storing the orders (after the acknowledgement)",
          workerCpu / 1e6 / n,
          "ms");
      Report.figure(
          "  CPU of the rest of the machine (PostgreSQL) per delivery",
          MachineCpu.busyNanos(machineBefore, machineAfter) / 1e6 / n - processCpu / 1e6 / n,
          "ms");
      Report.figure("  orders stored after processing (must equal deliveries)", stored, "");
    }
  }
}
