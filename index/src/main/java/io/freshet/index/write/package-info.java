/** Writing the chunk index: applying upserts and deletes, and committing with lineage. */
package io.freshet.index.write;
