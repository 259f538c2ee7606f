package io.outpaint.local.console;

import static io.outpaint.local.testing.VideoChecks.ffmpeg;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.outpaint.job.Job;
import io.outpaint.job.JobStatus;
import io.outpaint.local.LocalPipeline;
import io.outpaint.segments.Segments;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * A long clip's job page in a real headless Chromium against the local runtime: once the clip has SUCCEEDED, each cell
 * of the segment strip has a button that generates that segment again; pressing segment 2's starts its new attempt
 * (the notice says with which seed), the strip follows it, and the clip ends SUCCEEDED again with segment 2 its new job
 * and the retry listed. Saves screenshots under target/screenshots and fails on any error in the browser's console.
 */
class ConsoleSegmentRetryBrowserTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REQUEST = "{\"prompt\":\"a harbour\",\"resolution\":\"480p\",\"target\":{\"aspectRatio\":\"16:9\"}}";
    private static LocalPipeline pipeline;
    private static ChromeDriver driver;
    @TempDir static Path dir;

    @BeforeAll
    static void start() throws Exception {
        if (!Browser.available()) {
            return;
        }
        pipeline = LocalPipeline.start(LocalPipeline.Settings.interactive().withoutUploadTrigger().withLimit(2)
                .withTime(0.01, 100).withJobDuration(Duration.ofMillis(500)));
        driver = Browser.start(Files.createTempDirectory(dir, "chromium-profile"));
    }

    @AfterAll
    static void stop() {
        if (driver != null) {
            driver.quit();
        }
        if (pipeline != null) {
            pipeline.close();
        }
    }

    @Test
    void eachSegmentOfAnEndedClipHasAButtonThatGeneratesItAgainAndTheClipIsJoinedAgain() throws Exception {
        assumeTrue(Browser.available(), "chromium and chromedriver are not installed (.ci/run installs them)");
        String id = startLongClip(20);
        Job parent = awaitEnd(id);
        assertThat(parent.status()).as(String.valueOf(parent.error())).isEqualTo(JobStatus.SUCCEEDED);
        int count = Segments.count(parent);
        assertThat(count).isGreaterThanOrEqualTo(2);
        int scenarioJobs = pipeline.simulator().jobsCreated();

        driver.manage().window().setSize(new Dimension(1280, 1000));
        driver.get("about:blank");
        driver.get(pipeline.httpApi().consoleUrl() + "#/jobs/" + id);
        wait(30).until(d -> d.findElements(By.cssSelector("#segments button.retry-segment")).size() == count);
        saveScreenshot("segment-retry-before");
        // each cell as wide as its share of the clip (set without an inline style, which the page's policy refuses)
        assertThat(Double.parseDouble(driver.findElement(By.cssSelector("#segments li[data-index='0']")).getCssValue("flex-grow")))
                .isGreaterThan(1);

        wait(30).until(d -> d.findElements(By.id("result-video")).size() == 1);
        String shownBefore = driver.findElement(By.id("result-video")).getAttribute("src");
        WebElement second = driver.findElement(By.cssSelector("#segments button.retry-segment[data-segment='2']"));
        assertThat(second.getText()).isEqualTo("Generate again");
        second.click();
        wait(20).until(d -> d.findElement(By.id("notice")).getText().startsWith("Segment 2 is generated again with seed "));
        // the strip follows segment 2's new job
        String retryId = Segments.jobId(id, 1, 2);
        wait(20).until(d -> d.findElement(By.cssSelector("#segments li[data-index='1'] a")).getAttribute("href").endsWith(retryId));
        saveScreenshot("segment-retry-rendering");

        wait(300).until(d -> d.findElement(By.cssSelector("#summary .badge")).getText().equals("SUCCEEDED")
                && d.findElements(By.cssSelector("#segments button.retry-segment")).size() == count);
        assertThat(driver.findElement(By.id("segment-retries")).getText()).startsWith("segment 2 generated again");
        wait(20).until(d -> d.findElement(By.id("notice")).getText().equals(
                "Segment 2 was generated again and the clip joined again: the result below is the new one."));
        // the result shown is the new join's: the page read its URL again (a fresh signature) once the clip ended
        wait(30).until(d -> d.findElements(By.id("result-video")).size() == 1
                && !d.findElement(By.id("result-video")).getAttribute("src").equals(shownBefore));
        saveScreenshot("segment-retry-after");

        Job after = awaitEnd(id);
        assertThat(after.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(Segments.jobIds(after).get(1)).isEqualTo(retryId);
        assertThat(pipeline.simulator().jobsCreated() - scenarioJobs).as("one new Scenario job: segment 2's").isEqualTo(1);
        assertThat(Segments.retries(after)).singleElement().satisfies(r -> assertThat(r.segment()).isEqualTo(2));

        List<String> errors = new ArrayList<>();
        for (LogEntry entry : driver.manage().logs().get(LogType.BROWSER)) {
            if (entry.getLevel().intValue() >= Level.SEVERE.intValue()) {
                errors.add(entry.getMessage());
            }
        }
        assertThat(errors).as("browser console errors").isEmpty();
    }

    /** Under target/screenshots as the other browser tests save theirs, and beside them where OUTPAINT_SCREENSHOTS names a folder. */
    private static void saveScreenshot(String name) throws Exception {
        Browser.screenshotWholePage(driver, name);
        String also = System.getenv("OUTPAINT_SCREENSHOTS");
        if (also != null && !also.isBlank()) {
            Files.createDirectories(Path.of(also));
            Files.write(Path.of(also, name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
        }
    }

    /**
     * A calm clip of {@code seconds} at 8 fps with sound, started as a job: a long clip is planned in seconds, so it has the
     * segments it has at 24 fps, with a third of the frames to finish and join, twice over here.
     */
    private static String startLongClip(int seconds) throws Exception {
        Path clip = dir.resolve("harbour-" + seconds + ".mp4");
        ffmpeg("-f", "lavfi", "-i", "gradients=size=320x240:rate=8:speed=0.02:duration=" + seconds, "-f", "lavfi", "-i",
                "sine=frequency=440:sample_rate=48000:duration=" + seconds, "-c:a", "aac", "-c:v", "libopenh264", "-b:v", "2M",
                "-pix_fmt", "yuv420p", clip.toString());
        String jobId = "long-" + UUID.randomUUID();
        String key = "inputs/" + jobId + "/" + clip.getFileName();
        pipeline.cloud().s3().putObject(b -> b.bucket(LocalPipeline.BUCKET).key(key).contentType("video/mp4"), RequestBody.fromFile(clip));
        pipeline.start(jobId, key, (ObjectNode) JSON.readTree(REQUEST));
        return jobId;
    }

    private static Job awaitEnd(String jobId) throws InterruptedException {
        return io.outpaint.local.testing.JobEnds.awaitEnd(pipeline, jobId, Duration.ofMinutes(8));
    }

    private static WebDriverWait wait(int seconds) {
        // the page renders again on each refresh: an element read between two renders is found again
        return (WebDriverWait) new WebDriverWait(driver, Duration.ofSeconds(seconds)).ignoring(StaleElementReferenceException.class);
    }
}
