package io.freshet.app.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * What the machine alone does to a request's latency: a task of fixed CPU cost (arithmetic over an array that stays
 * in the core's cache, no allocation, no I/O, no locks), split over as many threads as a search uses and sent on the
 * benchmark's open-loop schedule to the same kind of worker pool. Its tail is the machine's (hypervisor steal,
 * descheduled or slowed cores, timer and wake-up latency), not any code's, so a service's tail can be read against
 * it: on a shared VM a task costing as much CPU as a search can miss a latency target the search itself would meet
 * on a quiet machine.
 *
 * <p>The task's cost is calibrated to the fastest of several timed batches (the undisturbed cost).
 */
final class NoiseFloor {

    /** The latency the benchmark counts requests over ({@code over_20_ms}): the p99 target at 50/s. */
    static final double TARGET_MS = 20;

    /** 8 Ki floats (32 KiB): fits a core's L1/L2, so memory bandwidth does not enter. */
    private final float[] data = new float[8192];
    /** Undisturbed milliseconds of one {@link #rep}. */
    private final double repMillis;
    @SuppressWarnings("unused")
    private volatile float sink;

    NoiseFloor() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) random.nextDouble();
        }
        for (int i = 0; i < 20_000; i++) { // JIT
            sink = rep();
        }
        long best = Long.MAX_VALUE;
        int batch = 200;
        for (int round = 0; round < 30; round++) {
            long t0 = System.nanoTime();
            float s = 0;
            for (int i = 0; i < batch; i++) {
                s += rep();
            }
            sink = s;
            best = Math.min(best, System.nanoTime() - t0);
        }
        repMillis = best / 1e6 / batch;
    }

    /** One pass over the array; a dependent sum, so the JIT cannot drop or reorder it away. */
    private float rep() {
        float s = 0;
        for (int i = 0; i < data.length; i++) {
            s = s * 0.999f + data[i];
        }
        return s;
    }

    /** Repetitions of {@link #rep} that take {@code cpuMillis} undisturbed, at least {@code min}. */
    int reps(double cpuMillis, int min) {
        return Math.max(min, (int) Math.round(cpuMillis / repMillis));
    }

    /** Runs the task {@code reps} times. */
    void task(int reps) {
        float s = 0;
        for (int r = 0; r < reps; r++) {
            s += rep();
        }
        sink = s;
    }

    /**
     * Sends a task of {@code cpuMillis} undisturbed CPU time at {@code rate}/s for {@code duration}, open-loop, and
     * reports its latency from the scheduled time. With {@code parallelism} above 1 the task is split in as many equal
     * parts: the worker hands the others to a pool of that many threads and runs any the pool has not started, as a
     * segment-parallel search does.
     */
    Map<String, Object> run(double cpuMillis, int parallelism, int rate, Duration duration) throws InterruptedException {
        int reps = reps(cpuMillis, parallelism);
        int part = reps / parallelism;
        ExecutorService helpers = Executors.newFixedThreadPool(parallelism);
        CpuMeter cpu = CpuMeter.start();
        double[] ms;
        try {
            ms = openLoop(rate, duration, i -> {
                List<FutureTask<Void>> others = new ArrayList<>();
                for (int p = 1; p < parallelism; p++) {
                    FutureTask<Void> t = new FutureTask<>(() -> task(part), null);
                    helpers.execute(t);
                    others.add(t);
                }
                task(reps - part * (parallelism - 1));
                for (FutureTask<Void> t : others) {
                    t.run(); // not started by the pool yet
                }
                for (FutureTask<Void> t : others) {
                    try {
                        t.get();
                    } catch (InterruptedException | ExecutionException e) {
                        throw new IllegalStateException(e);
                    }
                }
            });
        } finally {
            helpers.shutdownNow();
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("task_cpu_ms", ServingBench.round(reps * repMillis));
        out.put("parallelism", parallelism);
        out.put("requests", ms.length);
        out.put("latency_ms", ServingBench.percentiles(ms));
        out.put("over_20_ms", over(ms, TARGET_MS));
        out.put("cpu", cpu.report(ms.length, "floor"));
        return out;
    }

    /** How many of {@code ms} exceed {@code limit}. */
    static int over(double[] ms, double limit) {
        int n = 0;
        for (double x : ms) {
            n += x > limit ? 1 : 0;
        }
        return n;
    }

    /**
     * Sends {@code rate * duration} calls of {@code task} (given the call's index) on a fixed schedule to 8 worker
     * threads, as a service's workers take requests, and returns each call's latency in milliseconds from its
     * scheduled time, so queueing is counted.
     */
    static double[] openLoop(int rate, Duration duration, IntConsumer task) throws InterruptedException {
        int n = (int) (rate * duration.toSeconds());
        double[] ms = new double[n];
        long period = 1_000_000_000L / rate;
        ExecutorService workers = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch done = new CountDownLatch(n);
            long start = System.nanoTime() + 10_000_000L;
            for (int i = 0; i < n; i++) {
                long scheduled = start + i * period;
                long wait;
                while ((wait = scheduled - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(wait);
                    if (Thread.interrupted()) {
                        throw new InterruptedException("open loop interrupted at call " + i + " of " + n);
                    }
                }
                int slot = i;
                workers.execute(() -> {
                    try {
                        task.accept(slot);
                    } finally {
                        ms[slot] = (System.nanoTime() - scheduled) / 1e6;
                        done.countDown();
                    }
                });
            }
            done.await();
        } finally {
            workers.shutdownNow();
        }
        return ms;
    }
}
