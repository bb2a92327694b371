package io.freshet.index.lifecycle;

/**
 * The newest checkpoint the committer has published for one shard ({@code shard-N.published.json} beside
 * the shard's Lucene directory). Lucene lets only one process write an index directory, and the sink's
 * writer holds it, so the committer records publication here, replaced atomically, instead of in a Lucene
 * commit. Re-delivered committables at or below this checkpoint of the same run are recognised and skipped.
 *
 * @param runId the run whose checkpoint it is
 * @param run the run's number in the generation
 * @param checkpoint the checkpoint published
 * @param luceneGeneration the shard's Lucene commit that holds that checkpoint's state
 * @param publishedAtMillis when it was published
 */
public record PublishedMarker(String runId, int run, long checkpoint, long luceneGeneration, long publishedAtMillis) {

    /** The published point. */
    public PointId point() {
        return new PointId(run, checkpoint);
    }
}
