/**
 * The Lucene chunk index: {@code schema} says what is on disk (fields, commit user data), {@code write}
 * applies {@link io.freshet.core.IndexAction}s and commits, {@code search} reads it under a caller's
 * permissions.
 */
package io.freshet.index;
