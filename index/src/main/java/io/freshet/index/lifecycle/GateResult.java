package io.freshet.index.lifecycle;

import java.util.List;

/**
 * The outcome of a {@link QualityGate} check of a generation's evaluation report, stored as {@code gate.json}
 * in the generation's directory next to the report ({@code evaluation.json}) and shown by
 * {@code freshet index list}.
 *
 * @param generation the generation checked
 * @param passed whether every check passed
 * @param checks one line per check, {@code ok} or {@code FAIL} first
 * @param dataset the report's {@code dataset/split}
 * @param checkedAtMillis when
 */
public record GateResult(String generation, boolean passed, List<String> checks, String dataset, long checkedAtMillis) {
    public GateResult {
        checks = List.copyOf(checks);
    }

    /** One line: {@code passed} or {@code FAILED}, and the failing checks. */
    public String summary() {
        List<String> failed = checks.stream().filter(c -> c.startsWith("FAIL")).map(c -> c.substring(5)).toList();
        String on = dataset.isEmpty() ? "" : " on " + dataset;
        return passed ? "passed" + on : "FAILED" + on + ": " + String.join("; ", failed);
    }
}
