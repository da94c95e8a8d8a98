package dev.ordersync.testing;

/** Thrown at a crash point: an Error, so nothing on the way out treats it as handled. */
public final class SimulatedCrash extends Error {
  public SimulatedCrash(String where) {
    super("simulated crash at " + where, null, false, false);
  }
}
