/** Who is calling: resolving a request to a {@link io.freshet.core.Principal}. */
package io.freshet.serving.identity;
