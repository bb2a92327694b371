package io.freshet.app.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a benchmark interval's CPU went: this JVM's CPU time, and the whole machine's busy, idle and stolen
 * time from {@code /proc/stat} (Linux; left out elsewhere). On a shared VM the stolen share and the other
 * processes' share say whether the machine, not the code measured, was short of CPU. Inside a container
 * {@code /proc/stat} shows the host's CPUs, not the container's share. {@code /proc/stat} counts in scheduler ticks,
 * and under short bursts of work it can miss most of them: a noise-floor run here showed the machine 3.8% busy
 * while this JVM alone, by its own precise CPU clock, used 14.8% of it. Compare this JVM's CPU, not the busy share.
 */
final class CpuMeter {

    private static final Path PROC_STAT = Path.of("/proc/stat");

    private final long processNanos;
    private final long[] machineTicks;

    private CpuMeter(long processNanos, long[] machineTicks) {
        this.processNanos = processNanos;
        this.machineTicks = machineTicks;
    }

    /** Starts an interval now. */
    static CpuMeter start() {
        return new CpuMeter(processCpuNanos(), machineTicks());
    }

    /** This JVM's CPU milliseconds per operation since {@link #start()}, rounded to microseconds. */
    double processMillisPer(int operations) {
        return ServingBench.round((processCpuNanos() - processNanos) / 1e6 / Math.max(1, operations));
    }

    /**
     * The interval's figures: this JVM's CPU milliseconds per operation, and (on Linux) the machine's busy, steal and
     * idle percentages of all its cores' time.
     */
    Map<String, Object> report(int operations, String processName) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put(processName + "_cpu_ms_per_request", processMillisPer(operations));
        long[] now = machineTicks();
        if (now != null && machineTicks != null) {
            // cpu  user nice system idle iowait irq softirq steal guest guest_nice
            long[] d = new long[now.length];
            long total = 0;
            for (int i = 0; i < Math.min(8, now.length); i++) {
                d[i] = now[i] - machineTicks[i];
                total += d[i];
            }
            if (total > 0) {
                long idle = d[3] + d[4];
                long steal = now.length > 7 ? d[7] : 0;
                out.put("machine_busy_percent", ServingBench.round(100.0 * (total - idle - steal) / total));
                out.put("machine_steal_percent", ServingBench.round(100.0 * steal / total));
                out.put("machine_idle_percent", ServingBench.round(100.0 * idle / total));
            }
        }
        return out;
    }

    private static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return 0;
    }

    /** The aggregate {@code cpu} line of /proc/stat in clock ticks, or null where there is none. */
    private static long[] machineTicks() {
        if (!Files.isReadable(PROC_STAT)) {
            return null;
        }
        try {
            for (String line : Files.readAllLines(PROC_STAT)) {
                if (line.startsWith("cpu ")) {
                    String[] f = line.trim().split("\\s+");
                    long[] ticks = new long[f.length - 1];
                    for (int i = 1; i < f.length; i++) {
                        ticks[i - 1] = Long.parseLong(f[i]);
                    }
                    return ticks;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return null;
        }
        return null;
    }
}
