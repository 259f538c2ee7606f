package io.outpaint.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.outpaint.simulator.video.Mp4Video;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code submit} of a local file against a stub API: the upload, a retry with the same Idempotency-Key, and what it prints. */
class SubmitCommandTest {

    private static final String EXISTING = """
            {"jobId": "api-old", "status": "RUNNING", "progress": 0.3, "createdAt": "2025-05-01T10:00:00Z",
             "input": {"bucket": "outpaint-local", "key": "inputs/api-old/video.mp4"}, "links": {"self": "/jobs/api-old"}}""";

    @TempDir Path dir;
    private Path video;
    @RegisterExtension final CapturedConsole console = new CapturedConsole();

    @BeforeEach
    void video() throws Exception {
        video = dir.resolve("video.mp4");
        Mp4Video.write(video, 320, 240, 16, 8, Mp4Video.Pattern.SCENE, Mp4Video.Inset.NONE);
    }

    private String out() { return console.out(); }
    private String err() { return console.err(); }

    private int submit(StubApi api, String... more) {
        String[] args = {"submit", video.toString(), "--prompt", "idem", "--idempotency-key", "k2", "--endpoint", api.url(), "--api-key", "stub-key"};
        String[] all = java.util.Arrays.copyOf(args, args.length + more.length);
        System.arraycopy(more, 0, all, args.length, more.length);
        return Outpaint.execute(all);
    }

    @Test
    void afterTheUploadItPrintsTheJobAndHowToFollowItButNeitherThePresignedUrlNorTheStaleStatus() throws Exception {
        try (StubApi api = new StubApi()) {
            api.answer("POST", "/jobs", """
                    {"jobId": "api-new", "status": "QUEUED", "progress": 0,
                     "upload": {"method": "PUT", "url": "%s/bucket/inputs/api-new/video.mp4?X-Amz-Signature=s3cr3t",
                                "note": "the job starts when the upload lands"}}""".formatted(api.url()))
               .answer("PUT", "/bucket/inputs/api-new/video.mp4", "{}");

            assertThat(submit(api)).isZero();

            assertThat(api.requests()).containsExactly("POST /jobs", "PUT /bucket/inputs/api-new/video.mp4");
        }
        assertThat(out()).contains("Job api-new created: uploaded, starting").contains("'outpaint wait api-new -o FILE' follows it")
                .contains("'outpaint status api-new'")
                .doesNotContain("X-Amz-Signature").doesNotContain("upload lands").doesNotContain("QUEUED");
        assertThat(err()).isEmpty();
    }

    @Test
    void aRetryWithTheSameIdempotencyKeyPrintsTheExistingJobAndUploadsNothing() throws Exception {
        try (StubApi api = new StubApi().answer("POST", "/jobs", EXISTING)) {
            assertThat(submit(api)).isZero();

            assertThat(api.requests()).containsExactly("POST /jobs");
        }
        assertThat(out()).contains("Job api-old already exists (created 2025-05-01T10:00:00Z with this idempotency key); "
                + "the video was not uploaded again").contains("RUNNING").contains("'outpaint status api-old'");
        assertThat(err()).isEmpty();
    }

    @Test
    void aRetryWithWaitFollowsTheExistingJob() throws Exception {
        String succeeded = EXISTING.replace("RUNNING", "SUCCEEDED").replace("0.3", "1.0");
        try (StubApi api = new StubApi().answer("POST", "/jobs", succeeded).answer("GET", "/jobs/api-old", succeeded)) {
            assertThat(submit(api, "--wait")).isZero();

            assertThat(api.requests()).containsExactly("POST /jobs", "GET /jobs/api-old");
        }
        assertThat(out()).contains("Job api-old already exists").contains("Job api-old SUCCEEDED");
        assertThat(err()).isEmpty();
    }

    @Test
    void withWaitAndDashOTheResultIsSavedOnceTheJobSucceeded() throws Exception {
        Path target = dir.resolve("wider.mp4");
        try (StubApi api = new StubApi()) {
            FinishedJobs.serving(api, "api-old").answer("POST", "/jobs", FinishedJobs.succeeded(api, "api-old"));

            assertThat(submit(api, "--wait", "-o", target.toString())).isZero();

            assertThat(api.requests()).containsExactly("POST /jobs", "GET /jobs/api-old", "GET /results/api-old.mp4");
        }
        assertThat(target).hasContent(FinishedJobs.RESULT);
        assertThat(out()).contains("Saved " + target.toAbsolutePath());
        assertThat(err()).isEmpty();
    }

    @Test
    void dashOWithoutWaitAndDashOOntoAnExistingFileAreRefusedBeforeAnyCall() throws Exception {
        Path mine = java.nio.file.Files.writeString(dir.resolve("mine.mp4"), "keep me");
        try (StubApi api = new StubApi()) {
            assertThat(submit(api, "-o", dir.resolve("new.mp4").toString())).isEqualTo(2);
            assertThat(err()).startsWith("outpaint submit: -o needs --wait; without it, 'outpaint wait JOB_ID -o FILE' saves the result later");
            console.err.reset();

            assertThat(submit(api, "--wait", "-o", mine.toString())).isEqualTo(2);
            assertThat(err()).startsWith("outpaint submit: " + mine + " exists; add --force to replace it");

            assertThat(api.requests()).isEmpty();
        }
        assertThat(mine).hasContent("keep me");
    }

    @Test
    void anUploadUrlThatIsNotHttpIsOneLineNamingTheField() throws Exception {
        try (StubApi api = new StubApi().answer("POST", "/jobs", """
                {"jobId": "api-new", "status": "QUEUED", "upload": {"method": "PUT", "url": "file:///etc/passwd"}}""")) {
            assertThat(submit(api)).isEqualTo(1);

            assertThat(api.requests()).containsExactly("POST /jobs");
        }
        assertThat(err()).startsWith("outpaint submit: the API's answer has no usable upload.url (allowed: an http:// or https:// URL)")
                .doesNotContain("\tat ");
        assertThat(err().lines()).hasSize(1);
    }
}
