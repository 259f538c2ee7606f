package io.outpaint.local.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultFileTest {

    @TempDir Path dir;
    private HttpServer server;
    private final byte[] result = new byte[878_617];
    private URI url;

    @BeforeEach
    void serve() throws IOException {
        new Random(7).nextBytes(result);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/result.mp4", ex -> {
            ex.sendResponseHeaders(200, result.length);
            ex.getResponseBody().write(result);
            ex.close();
        });
        server.start();
        url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/result.mp4");
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void replacesALargerExistingFileWithExactlyTheResult() throws Exception {
        Path big = dir.resolve("big.mp4");
        Files.write(big, new byte[5_000_000]);

        Path saved = ResultFile.prepare(big, true).save(HttpClient.newHttpClient(), url, "job-1", result.length, sha256(result));

        assertThat(saved).isEqualTo(big);
        assertThat(Files.readAllBytes(big)).isEqualTo(result);
        assertThat(Files.list(dir)).containsExactly(big);
    }

    @Test
    void aDownloadThatDoesNotMatchLeavesTheTargetUntouchedAndNoPartFile() throws Exception {
        Path existing = Files.write(dir.resolve("keep.mp4"), new byte[] {1, 2, 3});
        ResultFile file = ResultFile.prepare(existing, true);

        assertThatThrownBy(() -> file.save(HttpClient.newHttpClient(), url, "job-1", result.length, "00".repeat(32)))
                .isInstanceOf(IOException.class).hasMessageContaining("keep.mp4 was not changed");
        assertThatThrownBy(() -> file.save(HttpClient.newHttpClient(), url, "job-1", result.length + 1, ""))
                .hasMessageContaining("the download stopped at 878617 of 878618 bytes");
        assertThat(Files.readAllBytes(existing)).containsExactly(1, 2, 3);
        assertThat(Files.list(dir)).containsExactly(existing);
    }

    @Test
    void createsTheFolderAndNamesTheFileAfterTheJobWhenOnlyAFolderIsGiven() throws Exception {
        Path folder = dir.resolve("a/b");
        ResultFile file = ResultFile.prepare(folder.resolve("out.mp4"), false);
        assertThat(folder).isDirectory();
        Files.createDirectories(dir.resolve("results"));

        Path saved = ResultFile.prepare(dir.resolve("results"), false).save(HttpClient.newHttpClient(), url, "api-42", result.length, sha256(result));

        assertThat(file.target("x")).isEqualTo(folder.resolve("out.mp4"));
        assertThat(saved).isEqualTo(dir.resolve("results/outpaint-api-42.mp4"));
        assertThat(Files.readAllBytes(saved)).isEqualTo(result);
    }

    @Test
    void aTrailingSlashMeansAFolderEvenBeforeItExists() throws Exception {
        Path folder = dir.resolve("new");

        Path saved = ResultFile.prepare(folder + "/", false).save(HttpClient.newHttpClient(), url, "api-7", result.length, sha256(result));

        assertThat(folder).isDirectory();
        assertThat(saved).isEqualTo(folder.resolve("outpaint-api-7.mp4"));
        assertThat(Files.readAllBytes(saved)).isEqualTo(result);
        assertThat(ResultFile.prepare(dir.resolve("other") + java.io.File.separator, false).target("x")).isEqualTo(dir.resolve("other/outpaint-x.mp4"));
    }

    @Test
    void anExistingFileIsRefusedUnlessItMayBeReplaced() throws Exception {
        Path existing = Files.write(dir.resolve("mine.mp4"), new byte[] {1, 2, 3});

        assertThatThrownBy(() -> ResultFile.prepare(existing.toString(), false))
                .isInstanceOf(java.nio.file.FileAlreadyExistsException.class).hasMessage(existing.toString());
        assertThat(ResultFile.prepare(existing.toString(), true).target("x")).isEqualTo(existing);
        assertThat(Files.readAllBytes(existing)).containsExactly(1, 2, 3);
    }

    @Test
    void aFileThatAppearsDuringTheDownloadIsNotReplacedAndNoPartFileIsLeft() throws Exception {
        Path target = dir.resolve("late.mp4");
        ResultFile file = ResultFile.prepare(target, false);
        Files.write(target, new byte[] {9});

        assertThatThrownBy(() -> file.save(HttpClient.newHttpClient(), url, "job-1", result.length, sha256(result)))
                .isInstanceOf(java.nio.file.FileAlreadyExistsException.class);
        assertThat(Files.readAllBytes(target)).containsExactly(9);
        assertThat(Files.list(dir)).containsExactly(target);
    }

    @Test
    void inAFolderAnEarlierDownloadOfTheSameJobIsReplaced() throws Exception {
        Path earlier = Files.write(Files.createDirectories(dir.resolve("results")).resolve("outpaint-api-42.mp4"), new byte[] {1});

        Path saved = ResultFile.prepare(dir.resolve("results"), false).save(HttpClient.newHttpClient(), url, "api-42", result.length, sha256(result));

        assertThat(saved).isEqualTo(earlier);
        assertThat(Files.readAllBytes(saved)).isEqualTo(result);
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
