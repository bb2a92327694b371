/** Reading the chunk index under a caller's permissions. */
package io.freshet.index.search;
