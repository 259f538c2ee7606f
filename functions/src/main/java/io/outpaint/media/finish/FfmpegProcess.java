package io.outpaint.media.finish;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code ffmpeg} or {@code ffprobe} as a child process with a deadline, keeping stdout whole
 * (ffprobe's JSON) and stderr's last lines for the error message.
 */
public final class FfmpegProcess {

    private static final int STDERR_LINES = 12;

    private final FfmpegPrograms programs;
    private final Duration timeout;

    public FfmpegProcess(FfmpegPrograms programs, Duration timeout) {
        this.programs = programs;
        this.timeout = timeout;
    }

    public String ffmpeg(String step, List<String> args) {
        return run(step, programs.ffmpeg().toString(), args);
    }

    String ffprobe(String step, List<String> args) {
        return run(step, programs.ffprobe().toString(), args);
    }

    private String run(String step, String program, List<String> args) {
        ProcessBuilder builder = new ProcessBuilder(prepend(program, args));
        builder.environment().putAll(programs.environment());
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new FinishFailedException(step + ": could not start " + program + ": " + e.getMessage(), e);
        }
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> lastLines(process.getErrorStream()));
        try {
            process.getOutputStream().close();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new FinishFailedException(step + ": still running after " + timeout.toSeconds() + " s");
            }
            int exit = process.exitValue();
            String stderr = err.join();
            if (exit != 0) {
                throw new FinishFailedException(step + " failed (exit " + exit + "): " + stderr);
            }
            return out.join();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new FinishFailedException(step + ": interrupted", e);
        } catch (IOException e) {
            process.destroyForcibly();
            throw new FinishFailedException(step + ": " + e.getMessage(), e);
        }
    }

    private static List<String> prepend(String program, List<String> args) {
        List<String> command = new java.util.ArrayList<>(args.size() + 1);
        command.add(program);
        command.addAll(args);
        return command;
    }

    private static String readAll(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static String lastLines(InputStream in) {
        Deque<String> lines = new ArrayDeque<>();
        try (var reader = new java.io.BufferedReader(new java.io.InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line; (line = reader.readLine()) != null; ) {
                if (lines.size() == STDERR_LINES) {
                    lines.removeFirst();
                }
                lines.addLast(line);
            }
        } catch (IOException e) {
            lines.addLast("(stderr unreadable: " + e.getMessage() + ")");
        }
        return String.join("\n", lines);
    }
}
