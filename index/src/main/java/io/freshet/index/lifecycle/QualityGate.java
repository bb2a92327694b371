package io.freshet.index.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What an evaluation report must show before its generation may be promoted. A report is a
 * {@code freshet eval} report ({@code {"dataset", "modes": {"keyword": {"ndcg@10": x, ...}, ...}}}) attached to
 * the generation ({@link IndexRoot#attachEvaluation}). The gate checks each configured minimum nDCG@10 per mode,
 * and, when the live generation has a report, that the candidate's is on the same dataset and split, covers
 * every mode the live one does, and falls in none more than {@code maxNdcgDrop} below it.
 *
 * @param required whether a generation without a passing report is refused (false: the gate is advisory and
 *     only recorded)
 * @param minNdcg10 the lowest nDCG@10 accepted per mode ({@code keyword}, {@code vector}, {@code hybrid}); a
 *     mode named here must be in the report
 * @param maxNdcgDrop how far below the live generation's report any mode's nDCG@10 may be
 */
public record QualityGate(boolean required, Map<String, Double> minNdcg10, double maxNdcgDrop) {

    /** The defaults: a passing report required, no minimums, at most 0.01 below the live generation. */
    public static final QualityGate DEFAULT = new QualityGate(true, Map.of(), 0.01);

    private static final String NDCG = "ndcg@10";

    public QualityGate {
        minNdcg10 = new TreeMap<>(minNdcg10 == null ? Map.of() : minNdcg10);
        for (Map.Entry<String, Double> e : minNdcg10.entrySet()) {
            if (!List.of("keyword", "vector", "hybrid").contains(e.getKey())) {
                throw new IllegalArgumentException("index.gate.min-ndcg10: unknown mode '" + e.getKey()
                        + "' (keyword, vector or hybrid)");
            }
            if (e.getValue() == null || !(e.getValue() >= 0 && e.getValue() <= 1)) {
                throw new IllegalArgumentException("index.gate.min-ndcg10: " + e.getKey() + " must be in [0, 1]; got "
                        + e.getValue());
            }
        }
        minNdcg10 = Map.copyOf(minNdcg10);
        if (!(maxNdcgDrop >= 0)) {
            throw new IllegalArgumentException("index.gate.max-ndcg10-drop must be >= 0; got " + maxNdcgDrop);
        }
    }

    /**
     * Checks {@code report} of {@code generation} against this gate and against {@code live}, the live
     * generation's report (empty when it has none, or when {@code generation} is the live one).
     */
    public GateResult check(String generation, Optional<JsonNode> report, Optional<JsonNode> live) {
        long now = System.currentTimeMillis();
        if (report.isEmpty()) {
            return new GateResult(generation, false, List.of("FAIL no evaluation report attached (freshet eval --generation "
                    + generation + " --dataset DIR)"), "", now);
        }
        JsonNode r = report.get();
        List<String> checks = new ArrayList<>();
        boolean passed = true;
        for (Map.Entry<String, Double> min : new TreeMap<>(minNdcg10).entrySet()) {
            JsonNode value = r.path("modes").path(min.getKey()).path(NDCG);
            if (!value.isNumber()) {
                checks.add("FAIL " + min.getKey() + " nDCG@10 missing from the report (minimum " + fmt(min.getValue()) + ")");
                passed = false;
                continue;
            }
            boolean ok = value.asDouble() >= min.getValue() - 1e-9;
            passed &= ok;
            checks.add((ok ? "ok   " : "FAIL ") + min.getKey() + " nDCG@10 " + fmt(value.asDouble()) + (ok ? " >= " : " < ")
                    + "minimum " + fmt(min.getValue()));
        }
        if (live.isPresent() && Double.isFinite(maxNdcgDrop)) {
            if (!sameData(r, live.get())) {
                passed = false;
                checks.add("FAIL report on " + dataset(r) + ", the live generation's on " + dataset(live.get())
                        + ": evaluate on the same data to compare");
            } else {
                for (var it = live.get().path("modes").fields(); it.hasNext(); ) {
                    var mode = it.next();
                    JsonNode before = mode.getValue().path(NDCG);
                    JsonNode after = r.path("modes").path(mode.getKey()).path(NDCG);
                    if (!before.isNumber()) {
                        continue;
                    }
                    if (!after.isNumber()) {
                        passed = false;
                        checks.add("FAIL " + mode.getKey() + " nDCG@10 missing from the report (the live generation's has it)");
                        continue;
                    }
                    boolean ok = after.asDouble() >= before.asDouble() - maxNdcgDrop - 1e-9;
                    passed &= ok;
                    checks.add((ok ? "ok   " : "FAIL ") + mode.getKey() + " nDCG@10 " + fmt(after.asDouble()) + " vs live "
                            + fmt(before.asDouble()) + " (" + String.format(Locale.ROOT, "%+.4f", after.asDouble() - before.asDouble())
                            + ", allowed drop " + fmt(maxNdcgDrop) + ")");
                }
            }
        }
        if (checks.isEmpty()) {
            checks.add("ok   report attached; no thresholds configured (index.gate.min-ndcg10)");
        }
        return new GateResult(generation, passed, checks, dataset(r), now);
    }

    private static boolean sameData(JsonNode a, JsonNode b) {
        return dataset(a).equals(dataset(b));
    }

    private static String dataset(JsonNode r) {
        return r.path("dataset").asText("?") + "/" + r.path("split").asText("?");
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }
}
