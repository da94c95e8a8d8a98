package dev.ordersync.service;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Issue 24, item 14: an instance's name is unique per process start, so a process of another pid
 * namespace, or a new process that got an old pid, is never taken for a dead one's.
 */
class OrphanedJobsTest {
  @Test
  void a_name_says_the_host_the_pid_namespace_the_pid_and_the_start() {
    String name = OrphanedJobs.nameOf(ProcessHandle.current());
    assertThat(name.length()).isLessThanOrEqualTo(50);
    assertThat(name.split("#")).hasSize(4);
    assertThat(name).contains("#" + ProcessHandle.current().pid() + "#");
  }

  @Test
  void only_a_pid_that_is_gone_or_started_at_another_time_is_released() {
    ProcessHandle self = ProcessHandle.current();
    long start = self.info().startInstant().orElseThrow().getEpochSecond();
    assertThat(OrphanedJobs.gone(self.pid() + "#" + start)).isFalse();
    assertThat(OrphanedJobs.gone(self.pid() + "#" + (start - 3600)))
        .as("the same pid, another process")
        .isTrue();
    assertThat(OrphanedJobs.gone("999999999#" + start)).isTrue();
    assertThat(OrphanedJobs.gone("not-ours")).isFalse();
  }
}
