package dev.ordersync.alerts;

/**
 * A condition worth telling someone about, while it holds.
 *
 * @param key what it is about, the same while it holds (e.g. {@code sync-failing:shop})
 * @param summary one line for a person: what is wrong and what to do
 */
public record Alert(String key, String summary) {}
