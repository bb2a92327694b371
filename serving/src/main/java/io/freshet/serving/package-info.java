/**
 * The retrieval service assistants call: {@code POST /v1/retrieve} searches the chunk index inside the
 * caller's permissions and says what it served. {@code api} holds the wire types, {@code identity} how a
 * caller is identified.
 */
package io.freshet.serving;
