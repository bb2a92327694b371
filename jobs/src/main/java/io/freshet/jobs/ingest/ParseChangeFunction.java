package io.freshet.jobs.ingest;

import io.freshet.connectors.mapping.DebeziumChangeMapper;
import io.freshet.connectors.mapping.MalformedChangeException;
import io.freshet.connectors.mapping.TableMapping;
import io.freshet.core.RawChange;
import io.freshet.core.SourceChange;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Interprets raw change events. A malformed event never fails the job: it is logged with its reason and
 * source position (never its content) and counted in the {@value #MALFORMED_METRIC} metric.
 */
public final class ParseChangeFunction extends ProcessFunction<RawChange, SourceChange> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ParseChangeFunction.class);
    /** Counter of malformed events. */
    public static final String MALFORMED_METRIC = "malformedChanges";

    private final DebeziumChangeMapper mapper;
    private transient Counter malformed;

    public ParseChangeFunction(TableMapping mapping) {
        this.mapper = new DebeziumChangeMapper(mapping);
    }

    @Override
    public void open(OpenContext openContext) {
        malformed = getRuntimeContext().getMetricGroup().counter(MALFORMED_METRIC);
    }

    @Override
    public void processElement(RawChange raw, Context ctx, Collector<SourceChange> out) {
        try {
            out.collect(mapper.map(raw));
        } catch (MalformedChangeException e) {
            malformed.inc();
            LOG.warn("Skipping malformed change event from {} at {}: {}", raw.source(), raw.position(), e.getMessage());
        }
    }
}
