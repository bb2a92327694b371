package io.freshet.index.lifecycle;

import java.util.Map;
import java.util.Objects;

/**
 * What built an index generation, stored as {@code generation.json} in its directory.
 *
 * @param id the generation id ({@code g0001}, ...)
 * @param shards number of shards (the sink parallelism that writes it)
 * @param model embedding model id
 * @param chunker chunker configuration
 * @param createdAtMillis when it was created
 * @param forkedFrom the commit point it was forked from by a rollback ({@code g0001@2.57}); null when built
 *     from scratch
 * @param replayPositions the source positions a new ingest run of this generation starts from (those of the
 *     commit point it continues); empty to start from the source's beginning (a snapshot)
 */
public record GenerationInfo(String id, int shards, String model, String chunker, long createdAtMillis,
        String forkedFrom, Map<String, String> replayPositions) {

    public GenerationInfo {
        Objects.requireNonNull(id, "id");
        if (shards < 1) {
            throw new IllegalArgumentException("a generation has at least one shard; got " + shards);
        }
        model = Objects.requireNonNullElse(model, "");
        chunker = Objects.requireNonNullElse(chunker, "");
        replayPositions = replayPositions == null ? Map.of() : Map.copyOf(replayPositions);
    }

    GenerationInfo withReplayPositions(Map<String, String> positions) {
        return new GenerationInfo(id, shards, model, chunker, createdAtMillis, forkedFrom, positions);
    }
}
