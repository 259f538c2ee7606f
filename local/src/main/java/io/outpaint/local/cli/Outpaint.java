package io.outpaint.local.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code outpaint <command>} (the launcher at the repository's root runs this jar): the whole system on this machine. */
@Command(name = "outpaint", mixinStandardHelpOptions = true, version = "outpaint 0.1.0",
        description = "Video outpainting with Scenario's Wan 2.2 VACE Fun A14B, on AWS or on this machine.%n"
                + "Every command takes --help; --debug (anywhere on the line) shows stack traces.",
        subcommands = {ServeCommand.class, ConsoleCommand.class, SimulatorCommand.class, BenchCommand.class, CommandLine.HelpCommand.class})
public final class Outpaint implements Runnable {

    /** Where the CLI itself prints; the functions' logs may be sent elsewhere. */
    static PrintStream out = System.out;
    /** Where one-line errors go. */
    static PrintStream err = System.err;

    @Spec
    CommandSpec spec;

    /** Set from the command line by {@link #execute}; picocli only shows it in the help. */
    static boolean debug;

    @CommandLine.Option(names = "--debug", description = "Show stack traces with errors.")
    boolean debugFlag;

    public static void main(String[] args) {
        Optional<Integer> ranElsewhere = C1Jvm.relaunch(args);
        if (ranElsewhere.isPresent()) {
            System.exit(ranElsewhere.get());
        }
        System.setProperty("log4j2.configurationFile", "log4j2-local.xml");
        System.setProperty("org.springframework.boot.logging.LoggingSystem", "none");
        // S3Mock's Tomcat logs through java.util.logging: warnings only
        java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
        root.setLevel(java.util.logging.Level.WARNING);
        for (var handler : root.getHandlers()) {
            handler.setLevel(java.util.logging.Level.WARNING);
        }
        System.exit(execute(args));
    }

    /** Runs one command line; the exit code: 0 done, 1 a failed job or call, 2 a usage error. */
    static int execute(String... args) {
        // --debug is accepted anywhere on the line, as users type it
        List<String> rest = Arrays.stream(args).filter(a -> !a.equals("--debug")).toList();
        debug = rest.size() != args.length;
        return commandLine().execute(rest.toArray(String[]::new));
    }

    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Outpaint());
        cli.addSubcommand("run", RunCommand.commandLine());
        ClientCommands.addTo(cli);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        cli.setParameterExceptionHandler(Outpaint::usageError);
        cli.setExecutionExceptionHandler((e, commandLine, parsed) -> failure(commandLine, e));
        return cli;
    }

    /** A usage error: its message, one line per problem, and where the help is; never the whole usage. */
    private static int usageError(CommandLine.ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        String name = command.getCommandSpec().qualifiedName();
        Optional<String> unknown = unknownCommand(e);
        if (unknown.isPresent()) {
            err.println(name + ": unknown command '" + unknown.get() + "' (commands: "
                    + String.join(", ", command.getSubcommands().keySet()) + ")");
            return 2;
        }
        for (String line : e.getMessage().split("\n")) {
            err.println(name + ": " + line.strip());
        }
        err.println("Try '" + name + " --help' for the flags and their allowed values.");
        if (debug) {
            e.printStackTrace(err);
        }
        return 2;
    }

    /** The first word of a line whose command is none of ours; picocli calls it an unmatched argument. */
    private static Optional<String> unknownCommand(CommandLine.ParameterException e) {
        if (e instanceof CommandLine.UnmatchedArgumentException unmatched && e.getCommandLine().getParent() == null
                && !unmatched.getUnmatched().isEmpty() && !unmatched.getUnmatched().get(0).startsWith("-")) {
            return Optional.of(unmatched.getUnmatched().get(0));
        }
        return Optional.empty();
    }

    /** Anything the command could not do: one line (a line per problem the API named), exit 1; the trace only with --debug. */
    static int failure(CommandLine command, Exception e) {
        if (e instanceof ApiRefusal refusal) {
            // the API's own words: a trace of this JVM would add nothing
            refusal.lines().forEach(line -> err.println(command.getCommandSpec().qualifiedName() + ": " + line));
            return 1;
        }
        String message = e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName() : e.getMessage();
        if (e instanceof java.net.ConnectException || e.getCause() instanceof java.net.ConnectException) {
            message = "cannot reach " + ClientCommands.Endpoint.lastUrl + " (connection refused; is 'outpaint serve' running?)";
        } else if (e instanceof java.net.http.HttpTimeoutException) {
            message = "no answer from " + ClientCommands.Endpoint.lastUrl + " in time";
        } else if (e instanceof java.nio.file.FileSystemException fs && fs.getReason() == null) {
            // the JDK's message is the path alone: say what is wrong with it
            message = fs.getFile() + ": " + (fs instanceof java.nio.file.NoSuchFileException ? "no such file or folder"
                    : fs instanceof java.nio.file.FileAlreadyExistsException ? "already exists"
                    : fs instanceof java.nio.file.AccessDeniedException ? "access denied"
                    : fs instanceof java.nio.file.NotDirectoryException ? "not a folder"
                    : fs.getClass().getSimpleName());
        }
        err.println(command.getCommandSpec().qualifiedName() + ": " + message.lines().findFirst().orElse(message)
                + (debug ? "" : " (--debug shows more)"));
        if (debug) {
            e.printStackTrace(err);
        }
        return e instanceof CommandLine.ParameterException ? 2 : 1;
    }

    @Override
    public void run() {
        spec.commandLine().usage(out);
    }
}
