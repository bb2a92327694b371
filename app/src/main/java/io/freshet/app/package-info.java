/**
 * The {@code freshet} command and the local profile: {@code cli} holds the commands, {@code config} the
 * configuration file and its options, {@code local} the embedded PostgreSQL, the sample corpus and
 * {@link io.freshet.app.local.LocalStack}, which runs the whole pipeline in one JVM.
 */
package io.freshet.app;
