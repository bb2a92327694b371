/**
 * Freshet's shared vocabulary: the records that flow between the source, the jobs, the index and the
 * service ({@link io.freshet.core.RawChange}, {@link io.freshet.core.SourceChange},
 * {@link io.freshet.core.SourceDocument}, {@link io.freshet.core.Chunk},
 * {@link io.freshet.core.IndexAction}, {@link io.freshet.core.Principal}) and the small interfaces that
 * pluggable parts implement ({@link io.freshet.core.Chunker}, {@link io.freshet.core.Embedder}).
 *
 * <p>Nothing here does I/O; every record validates itself in its compact constructor.
 */
package io.freshet.core;
