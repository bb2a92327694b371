package io.freshet.app.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class NoiseFloorTest {

    @Test
    void theOpenLoopRunsEveryCallOnceAndTimesItFromItsScheduledSend() throws Exception {
        AtomicIntegerArray calls = new AtomicIntegerArray(40);
        double[] ms = NoiseFloor.openLoop(20, Duration.ofSeconds(2), i -> {
            calls.incrementAndGet(i);
            if (i == 7) {
                sleep(30);
            }
        });
        assertThat(ms).hasSize(40);
        for (int i = 0; i < 40; i++) {
            assertThat(calls.get(i)).as("call %d", i).isEqualTo(1);
        }
        assertThat(ms[7]).isGreaterThanOrEqualTo(30);
        assertThat(NoiseFloor.over(ms, 29.9)).isGreaterThanOrEqualTo(1);
    }

    @Test
    void aCallThatThrowsIsStillTimedAndTheRestGoOn() throws Exception {
        double[] ms = NoiseFloor.openLoop(50, Duration.ofSeconds(1), i -> {
            if (i % 10 == 0) {
                throw new IllegalStateException("call " + i);
            }
        });
        assertThat(ms).hasSize(50);
        assertThat(java.util.Arrays.stream(ms).min().orElseThrow()).isPositive();
    }

    @Test
    @SuppressWarnings("unchecked")
    void theTaskIsCalibratedToTheAskedCpuAndSplit() throws Exception {
        NoiseFloor floor = new NoiseFloor();
        for (int parallelism : new int[] {1, 2}) {
            Map<String, Object> r = floor.run(2.0, parallelism, 50, Duration.ofSeconds(1));
            assertThat((double) r.get("task_cpu_ms")).isBetween(1.5, 2.5);
            assertThat(r).containsEntry("requests", 50).containsEntry("parallelism", parallelism)
                    .containsKeys("over_20_ms", "cpu");
            assertThat(((Map<String, Double>) r.get("latency_ms")).get("p50")).isPositive();
        }
    }

    @Test
    void theTaskReallyBurnsTheCpuItClaims() {
        NoiseFloor floor = new NoiseFloor();
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        int reps = floor.reps(20.0, 1);
        floor.task(reps); // JIT
        long t0 = threads.getCurrentThreadCpuTime();
        floor.task(reps);
        double spent = (threads.getCurrentThreadCpuTime() - t0) / 1e6;
        // this thread's own CPU clock: at least half of the 20 ms claimed (a calibration slowed by a busy machine
        // makes the task shorter than claimed; a task the JIT emptied costs nothing)
        assertThat(spent).isGreaterThanOrEqualTo(10.0);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
