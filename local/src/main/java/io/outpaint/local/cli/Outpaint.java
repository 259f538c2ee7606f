package io.outpaint.local.cli;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code java -jar local/target/outpaint.jar <command>}: the whole system on this machine. */
@Command(name = "outpaint", mixinStandardHelpOptions = true, version = "outpaint 0.1.0",
        description = "Video outpainting with Scenario's Wan 2.2 VACE Fun A14B, on AWS or on this machine.",
        subcommands = {ServeCommand.class, ConsoleCommand.class, SimulatorCommand.class, BenchCommand.class, CommandLine.HelpCommand.class})
public final class Outpaint implements Runnable {

    /** Where the CLI itself prints; the functions' logs may be sent elsewhere. */
    static PrintStream out = System.out;

    public static void main(String[] args) {
        System.setProperty("log4j2.configurationFile", "log4j2-local.xml");
        System.setProperty("org.springframework.boot.logging.LoggingSystem", "none");
        // S3Mock's Tomcat logs through java.util.logging: warnings only
        java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
        root.setLevel(java.util.logging.Level.WARNING);
        for (var handler : root.getHandlers()) {
            handler.setLevel(java.util.logging.Level.WARNING);
        }
        if (args.length > 0 && args[0].equals("run")) {
            quietFunctionLogs();
        }
        CommandLine cli = new CommandLine(new Outpaint());
        cli.addSubcommand("run", RunCommand.commandLine());
        ClientCommands.addTo(cli);
        int code = cli.execute(args);
        System.exit(code);
    }

    /** For {@code run}: function logs go to a file, as Lambda sends them to CloudWatch; the terminal shows progress. */
    private static void quietFunctionLogs() {
        try {
            Path log = Files.createTempFile("outpaint-run-", ".log");
            PrintStream file = new PrintStream(new FileOutputStream(log.toFile()), true);
            System.setOut(file);
            System.setProperty("outpaint.log", log.toString());
        } catch (IOException e) {
            // logs stay on the terminal
        }
    }

    @Override
    public void run() {
        new CommandLine(this).usage(out);
    }
}
