/** A LangChain4j {@code ContentRetriever} that queries a Freshet retrieval service. */
package io.freshet.langchain4j;
