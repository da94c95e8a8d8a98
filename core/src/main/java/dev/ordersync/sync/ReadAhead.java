package dev.ordersync.sync;

import dev.ordersync.orders.FetchedOrder;
import dev.ordersync.shopify.BulkResults;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Reads bulk results into batches on a thread of its own, at most a few batches ahead, so that the
 * download and the mapping of the next orders overlap the storing of these: memory stays bounded,
 * the store's order and its resume points are the file's.
 */
final class ReadAhead implements AutoCloseable {
  private static final int BATCHES_AHEAD = 2;

  /** Orders of the file in order; {@code linesDone} the file's lines up to the last of them. */
  record Batch(List<FetchedOrder> orders, long linesDone, long ordersInFile, boolean last) {}

  private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(BATCHES_AHEAD);
  private final Thread reader;

  ReadAhead(BulkResults results, int batchSize) {
    this.reader = new Thread(() -> read(results, batchSize), "bulk-results-reader");
    reader.setDaemon(true);
    reader.start();
  }

  /** The next batch; what stopped the reading (a broken download, a bad line) is thrown here. */
  Batch next() {
    Object item;
    try {
      item = queue.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for bulk results", e);
    }
    if (item instanceof RuntimeException e) {
      throw e;
    }
    return (Batch) item;
  }

  private void read(BulkResults results, int batchSize) {
    try {
      FetchedOrder next = results.next();
      while (true) {
        List<FetchedOrder> batch = new ArrayList<>(batchSize);
        long linesOfBatch = results.linesDone();
        while (next != null && batch.size() < batchSize) {
          batch.add(next);
          // the lines up to this order: the one read next is not in the batch
          linesOfBatch = results.linesDone();
          next = results.next();
        }
        boolean last = next == null;
        queue.put(
            new Batch(batch, last ? results.linesDone() : linesOfBatch, results.orders(), last));
        if (last) {
          return;
        }
      }
    } catch (InterruptedException e) {
      // the import stopped: nothing more is wanted
    } catch (RuntimeException e) {
      queue.clear();
      queue.offer(e);
    }
  }

  @Override
  public void close() {
    reader.interrupt();
  }
}
