package io.freshet.connectors.debezium.source;

import io.freshet.connectors.debezium.source.enumerator.DebeziumEnumeratorState;
import io.freshet.connectors.debezium.source.enumerator.DebeziumEnumeratorStateSerializer;
import io.freshet.connectors.debezium.source.enumerator.DebeziumSplitEnumerator;
import io.freshet.connectors.debezium.source.reader.DebeziumSourceReader;
import io.freshet.connectors.debezium.source.split.DebeziumSplit;
import io.freshet.connectors.debezium.source.split.DebeziumSplitSerializer;
import io.freshet.core.RawChange;
import java.util.Objects;
import java.util.Properties;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * A Flink source (Source API) that runs any Debezium connector through the Debezium embedded engine and
 * emits its change events as {@link RawChange}s. Debezium properties pass through untouched, so MySQL,
 * SQL Server or MongoDB work by configuration alone; the connector's offsets live in Flink checkpoint
 * state, and a job restored from a checkpoint resumes there.
 *
 * <p>Build one with {@link DebeziumSources#postgres} for the common PostgreSQL case, or pass raw
 * Debezium properties to the constructor.
 */
public final class DebeziumSource
        implements Source<RawChange, DebeziumSplit, DebeziumEnumeratorState>, ResultTypeQueryable<RawChange> {

    private static final long serialVersionUID = 1L;

    private final Properties engineProperties;
    private final FreshStartHook freshStartHook;

    /** @param engineProperties Debezium engine and connector properties, passed through untouched */
    public DebeziumSource(Properties engineProperties) {
        this(engineProperties, FreshStartHook.NONE);
    }

    /**
     * @param engineProperties Debezium engine and connector properties, passed through untouched
     * @param freshStartHook runs before the engine starts without offsets (e.g. {@link PostgresSlotReset})
     */
    public DebeziumSource(Properties engineProperties, FreshStartHook freshStartHook) {
        this.freshStartHook = Objects.requireNonNull(freshStartHook, "freshStartHook");
        Objects.requireNonNull(engineProperties, "engineProperties");
        if (engineProperties.getProperty("connector.class") == null) {
            throw new IllegalArgumentException("Debezium property connector.class is required");
        }
        this.engineProperties = new Properties();
        this.engineProperties.putAll(engineProperties);
    }

    @Override
    public Boundedness getBoundedness() {
        return Boundedness.CONTINUOUS_UNBOUNDED;
    }

    @Override
    public SourceReader<RawChange, DebeziumSplit> createReader(SourceReaderContext readerContext) {
        return new DebeziumSourceReader(engineProperties, freshStartHook, readerContext);
    }

    @Override
    public SplitEnumerator<DebeziumSplit, DebeziumEnumeratorState> createEnumerator(
            SplitEnumeratorContext<DebeziumSplit> enumContext) {
        return new DebeziumSplitEnumerator(enumContext, DebeziumEnumeratorState.initial());
    }

    @Override
    public SplitEnumerator<DebeziumSplit, DebeziumEnumeratorState> restoreEnumerator(
            SplitEnumeratorContext<DebeziumSplit> enumContext, DebeziumEnumeratorState checkpoint) {
        return new DebeziumSplitEnumerator(enumContext, checkpoint);
    }

    @Override
    public SimpleVersionedSerializer<DebeziumSplit> getSplitSerializer() {
        return new DebeziumSplitSerializer();
    }

    @Override
    public SimpleVersionedSerializer<DebeziumEnumeratorState> getEnumeratorCheckpointSerializer() {
        return new DebeziumEnumeratorStateSerializer();
    }

    @Override
    public TypeInformation<RawChange> getProducedType() {
        return TypeInformation.of(RawChange.class);
    }
}
