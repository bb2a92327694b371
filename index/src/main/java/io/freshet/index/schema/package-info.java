/** What a Freshet index holds on disk: one Lucene document per chunk, and the user data of each commit. */
package io.freshet.index.schema;
