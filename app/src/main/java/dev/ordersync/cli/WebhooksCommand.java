package dev.ordersync.cli;

import picocli.CommandLine.Command;

@Command(name = "webhooks", description = "Webhook subscriptions.")
final class WebhooksCommand {
}
