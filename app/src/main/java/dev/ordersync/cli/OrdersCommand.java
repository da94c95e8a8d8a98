package dev.ordersync.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ordersync.App;
import dev.ordersync.config.AppConfig;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "orders", description = "The stored orders.", subcommands = {
    OrdersCommand.Export.class})
final class OrdersCommand {

  @Command(name = "export", description = "One JSON object per stored order on standard output.")
  static final class Export implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = "--format", defaultValue = "jsonl", description = "jsonl (the only format)")
    String format;

    @Override
    public Integer call() throws IOException {
      if (!"jsonl".equals(format)) {
        throw new IllegalArgumentException("--format " + format + " is not supported; use jsonl");
      }
      AppConfig cfg = common.appConfigOrEmpty();
      ObjectMapper json = new ObjectMapper();
      try (App app = App.open(cfg, common.jdbcUrl(cfg), App.Options.production());
          BufferedWriter out = new BufferedWriter(new OutputStreamWriter(System.out,
              StandardCharsets.UTF_8), 1 << 16)) {
        app.storedOrders().export(row -> {
          try {
            out.write(json.writeValueAsString(row));
            out.write('\n');
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
      }
      return Main.OK;
    }
  }
}
