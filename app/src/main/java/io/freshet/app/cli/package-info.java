/** picocli commands of the {@code freshet} launcher. */
package io.freshet.app.cli;
