package io.freshet.jobs.ingest;

import io.freshet.connectors.mapping.DebeziumChangeMapper;
import io.freshet.connectors.mapping.MalformedChangeException;
import io.freshet.connectors.mapping.TableMapping;
import io.freshet.connectors.mapping.UnmappedChangeException;
import io.freshet.core.DeadLetter;
import io.freshet.core.RawChange;
import io.freshet.core.SourceChange;
import io.freshet.core.pii.PiiPolicy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Interprets raw change events. Nothing is dropped silently and nothing fails the job:
 *
 * <ul>
 *   <li>a malformed event goes to the {@link #DEAD_LETTERS} side output with its reason, source position and
 *       time, and is counted in {@value #MALFORMED_METRIC};
 *   <li>a change of a table the mapping does not capture is counted in {@value #UNMAPPED_METRIC};
 *   <li>a Kafka tombstone (the marker after a delete, which the delete event already covered) is counted in
 *       {@value #TOMBSTONE_METRIC}.
 * </ul>
 *
 * With personal-data redaction on, dead letters and their log lines carry placeholders, never the values.
 */
public final class ParseChangeFunction extends ProcessFunction<RawChange, SourceChange> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ParseChangeFunction.class);
    /** Counter of malformed events (dead-lettered). */
    public static final String MALFORMED_METRIC = "malformedChanges";
    /** Counter of changes of unmapped tables. */
    public static final String UNMAPPED_METRIC = "unmappedChanges";
    /** Counter of tombstones. */
    public static final String TOMBSTONE_METRIC = "tombstones";
    /** Where malformed events go. */
    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("dead-letters", TypeInformation.of(DeadLetter.class));

    private final DebeziumChangeMapper mapper;
    private final PiiPolicy pii;
    private transient Counter malformed;
    private transient Counter unmapped;
    private transient Counter tombstones;

    public ParseChangeFunction(TableMapping mapping) {
        this(mapping, PiiPolicy.OFF);
    }

    /**
     * With {@code pii} on for any source, a dead letter's payload and reason, and the log line about it, carry
     * placeholders instead of the personal data in the event.
     */
    public ParseChangeFunction(TableMapping mapping, PiiPolicy pii) {
        this.mapper = new DebeziumChangeMapper(mapping);
        this.pii = pii;
    }

    @Override
    public void open(OpenContext openContext) {
        malformed = getRuntimeContext().getMetricGroup().counter(MALFORMED_METRIC);
        unmapped = getRuntimeContext().getMetricGroup().counter(UNMAPPED_METRIC);
        tombstones = getRuntimeContext().getMetricGroup().counter(TOMBSTONE_METRIC);
    }

    @Override
    public void processElement(RawChange raw, Context ctx, Collector<SourceChange> out) {
        if (raw.isTombstone()) {
            tombstones.inc();
            return;
        }
        try {
            out.collect(mapper.map(raw));
        } catch (UnmappedChangeException e) {
            unmapped.inc();
            LOG.debug("Ignoring {} at {}", e.getMessage(), raw.position());
        } catch (MalformedChangeException e) {
            malformed.inc();
            String reason = pii.scrub(e.getMessage());
            LOG.warn("Dead-lettering change event from {} at {}: {}", raw.source(), raw.position(), reason);
            ctx.output(DEAD_LETTERS, new DeadLetter(reason, raw.source(), raw.position(),
                    System.currentTimeMillis(), pii.scrub(raw.valueJson())));
        }
    }
}
