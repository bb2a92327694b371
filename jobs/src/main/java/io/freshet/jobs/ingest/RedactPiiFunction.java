package io.freshet.jobs.ingest;

import io.freshet.core.ChangeOp;
import io.freshet.core.SourceChange;
import io.freshet.core.pii.PiiPolicy;
import io.freshet.core.pii.PiiType;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/**
 * The {@code redact-pii} step, before anything is chunked, embedded or indexed: redacts or masks personal data
 * in each upserted document as its source's {@link PiiPolicy} mode says, or, in {@code drop} mode, turns a
 * document holding any into a delete (so an earlier clean version does not stay indexed either). Counts values
 * per type ({@code piiRedacted_<type>}) and dropped documents ({@value #DROPPED_METRIC}). Logs nothing of the
 * text.
 */
public final class RedactPiiFunction extends RichMapFunction<SourceChange, SourceChange> {

    private static final long serialVersionUID = 1L;
    /** Counter of documents dropped for holding personal data. */
    public static final String DROPPED_METRIC = "piiDroppedDocuments";
    /** Prefix of the per-type counters of values found. */
    public static final String FOUND_METRIC_PREFIX = "piiRedacted_";

    private final PiiPolicy policy;
    private transient Map<PiiType, Counter> found;
    private transient Counter dropped;

    public RedactPiiFunction(PiiPolicy policy) {
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    @Override
    public void open(OpenContext openContext) {
        MetricGroup metrics = getRuntimeContext().getMetricGroup();
        found = new EnumMap<>(PiiType.class);
        for (PiiType t : PiiType.values()) {
            found.put(t, metrics.counter(FOUND_METRIC_PREFIX + t.configName()));
        }
        dropped = metrics.counter(DROPPED_METRIC);
    }

    @Override
    public SourceChange map(SourceChange change) {
        if (change.document() == null) {
            return change;
        }
        PiiPolicy.Result r = policy.apply(change.document(), change.source());
        if (r.clean()) {
            return change;
        }
        r.counts().forEach((type, n) -> found.get(type).inc(n));
        if (r.dropped()) {
            dropped.inc();
            return new SourceChange(ChangeOp.DELETE, change.documentId(), null, change.source(), change.position(),
                    change.sourceTimeMillis(), change.snapshotStartMillis());
        }
        return new SourceChange(change.op(), change.documentId(), r.document(), change.source(), change.position(),
                change.sourceTimeMillis(), change.snapshotStartMillis());
    }
}
