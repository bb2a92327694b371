package io.freshet.app.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code freshet} command. Started by the {@code ./freshet} launcher, which finds a JDK >= 21. */
@Command(
        name = "freshet",
        mixinStandardHelpOptions = true,
        version = "Freshet 0.1.0-SNAPSHOT",
        description = "Streaming retrieval for enterprise AI assistants.",
        subcommands = {UpCommand.class, IngestCommand.class, IndexCommand.class, TokenCommand.class, EvalCommand.class, BenchCommand.class, CommandLine.HelpCommand.class})
public final class FreshetCli {

    public static void main(String[] args) {
        int code = new CommandLine(new FreshetCli()).execute(args);
        System.exit(code);
    }
}
