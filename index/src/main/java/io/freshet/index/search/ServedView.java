package io.freshet.index.search;

import io.freshet.index.schema.CommitData;
import java.io.IOException;
import java.util.List;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexReader;

/**
 * One consistent thing to search: a reader over every shard at one commit point, with its lineage. Searches
 * hold a reference for their whole duration, so a switch never mixes two points in one answer.
 *
 * @param reader the reader searched (a shard's reader, or a multi-reader over all shards)
 * @param shards each shard's reader, kept to reopen incrementally
 * @param version increases with every switch in this process (the result cache keys on it)
 * @param point what is served, {@code <generation>@<run>.<checkpoint>}; empty for a plain index directory
 * @param lineage the lineage: of the commit, or summed over shards
 * @param oldestCommitMillis when the oldest of the shard commits was made (permissions changed after it are
 *     applied from the ACL store)
 */
record ServedView(IndexReader reader, List<DirectoryReader> shards, long version, String point, CommitData lineage,
        long oldestCommitMillis) {

    boolean tryIncRef() {
        return reader.tryIncRef();
    }

    void decRef() throws IOException {
        reader.decRef();
    }

    /** Releases the view's own references (the reader and the shard readers kept for reopening). */
    void release() throws IOException {
        reader.decRef();
        for (DirectoryReader s : shards) {
            if (s != reader) {
                s.decRef();
            }
        }
    }
}
