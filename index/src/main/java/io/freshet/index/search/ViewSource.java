package io.freshet.index.search;

import io.freshet.index.lifecycle.AclStore;
import java.io.Closeable;
import java.io.IOException;

/** Where a searcher's views come from. */
interface ViewSource extends Closeable {

    /**
     * The view to serve now, or null when {@code current} (null before the first) is still right. The
     * returned view holds one reference, released by {@link ServedView#release()}.
     */
    ServedView next(ServedView current, long version) throws IOException;

    /**
     * The current permissions of documents changed since {@code view}'s commits, or {@code current} when it is
     * still right; {@link AclStore.Overlay#NONE} where content carries current permissions.
     */
    default AclStore.Overlay overlay(ServedView view, AclStore.Overlay current) throws IOException {
        return AclStore.Overlay.NONE;
    }
}
