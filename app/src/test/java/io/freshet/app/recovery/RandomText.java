package io.freshet.app.recovery;

import java.util.Random;

/** Short random business-like sentences for the recovery writers, derived from the caller's seeded random. */
public final class RandomText {

    private static final String[] WORDS = ("replica failover ledger invoice payroll vpn laptop contract onboarding "
            + "retention audit quarterly pipeline deploy incident pager budget forecast vendor policy").split(" ");

    private RandomText() {}

    /** 8 to 27 words. */
    public static String sentence(Random random) {
        StringBuilder b = new StringBuilder();
        int n = 8 + random.nextInt(20);
        for (int i = 0; i < n; i++) {
            b.append(i == 0 ? "" : " ").append(WORDS[random.nextInt(WORDS.length)]);
        }
        return b.toString();
    }

    /** Waits until {@code next} (a {@link System#nanoTime()} deadline) to keep a writer at its rate. */
    public static void pace(long next) throws InterruptedException {
        long wait = next - System.nanoTime();
        if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000)); // open-loop pacing, not waiting on a result
        }
    }
}
