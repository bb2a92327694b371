/**
 * Index lifecycle: generations side by side under an index root with a manifest naming the live one,
 * commit points (run and checkpoint) published by the sink's committer, retention for rollback, owner
 * operations with an audit log, and the ACL store whose current permissions apply to whatever is served.
 */
package io.freshet.index.lifecycle;
