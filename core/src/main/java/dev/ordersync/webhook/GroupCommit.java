package dev.ordersync.webhook;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Records deliveries arriving at once in one transaction (a group commit), each caller still
 * returning only once its row is durable. Worth it where a commit is a round trip and a flush
 * (PostgreSQL: 1.2-1.6 times the deliveries a second); on the embedded H2, where a commit is cheap
 * and the lock only serialises the senders, each delivery is its own transaction (BENCHMARKS.md). A
 * caller queues its delivery and takes the writer's lock; whoever holds it writes everything queued
 * so far, so while one transaction commits the next callers' deliveries gather for the one after.
 * No thread of its own, nothing to stop.
 */
final class GroupCommit {
  /** The most deliveries one transaction records. */
  static final int MAX_BATCH = 200;

  private final WebhookInbox inbox;
  private final boolean grouped;
  private final ConcurrentLinkedQueue<Waiting> queue = new ConcurrentLinkedQueue<>();
  private final ReentrantLock writer = new ReentrantLock();

  GroupCommit(WebhookInbox inbox, boolean grouped) {
    this.inbox = inbox;
    this.grouped = grouped;
  }

  private static final class Waiting {
    final WebhookInbox.Delivery delivery;
    boolean done;
    boolean fresh;
    RuntimeException failure;

    Waiting(WebhookInbox.Delivery delivery) {
      this.delivery = delivery;
    }
  }

  /** As {@link WebhookInbox#record}: true when recorded, false for a duplicate; committed. */
  boolean record(WebhookInbox.Delivery delivery) {
    if (!grouped) {
      return inbox.record(delivery);
    }
    Waiting me = new Waiting(delivery);
    queue.add(me);
    writer.lock();
    try {
      while (!me.done) {
        write(drain());
      }
    } finally {
      writer.unlock();
    }
    if (me.failure != null) {
      throw me.failure;
    }
    return me.fresh;
  }

  private List<Waiting> drain() {
    List<Waiting> batch = new ArrayList<>();
    Waiting w;
    while (batch.size() < MAX_BATCH && (w = queue.poll()) != null) {
      batch.add(w);
    }
    return batch;
  }

  private void write(List<Waiting> batch) {
    if (batch.isEmpty()) {
      return;
    }
    List<WebhookInbox.Delivery> deliveries = batch.stream().map(w -> w.delivery).toList();
    try {
      List<Boolean> fresh = inbox.recordAll(deliveries);
      for (int i = 0; i < batch.size(); i++) {
        batch.get(i).fresh = fresh.get(i);
        batch.get(i).done = true;
      }
    } catch (RuntimeException e) {
      // another instance recorded one of them at this moment, or the database failed: each on
      // its own, so that one delivery's conflict never fails the others; every one is settled,
      // recorded or failed, so that no caller waits for a batch that is gone
      for (Waiting w : batch) {
        try {
          w.fresh = inbox.record(w.delivery);
        } catch (RuntimeException one) {
          w.failure = one;
        }
        w.done = true;
      }
    }
  }
}
