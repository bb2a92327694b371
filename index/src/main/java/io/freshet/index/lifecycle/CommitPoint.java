package io.freshet.index.lifecycle;

import java.util.List;
import java.util.Map;

/**
 * A commit point of a generation as owners see it: one Lucene commit per shard, with the lineage summed
 * over shards.
 *
 * @param generation the generation
 * @param id the point
 * @param shardCommits the Lucene commit generation of each shard at this point
 * @param documents documents over all shards
 * @param chunks chunks over all shards
 * @param watermarkMillis freshness watermark: the newest source time over all shards
 * @param positions source positions: per Kafka partition the newest offset over all shards; the newest
 *     Debezium offset
 * @param committedAtMillis when the newest of its shard commits was made
 * @param model embedding model id
 * @param modelVersion embedding model version
 * @param chunker chunker configuration
 * @param chunkerHash hash of the chunker configuration
 */
public record CommitPoint(String generation, PointId id, List<Long> shardCommits, long documents, long chunks,
        long watermarkMillis, Map<String, String> positions, long committedAtMillis, String model,
        String modelVersion, String chunker, String chunkerHash) {

    /** {@code <generation>@<point>}. */
    public String qualifiedId() {
        return generation + "@" + id;
    }
}
