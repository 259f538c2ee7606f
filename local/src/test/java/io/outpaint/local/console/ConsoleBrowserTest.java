package io.outpaint.local.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.outpaint.local.LocalPipeline;
import io.outpaint.simulator.video.Mp4Video;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console in a real headless Chromium against the local runtime: drop a video, set inputs,
 * see the cost, start, watch the job succeed, play input and result in sync, cancel a job, and
 * see the API's field error beside its field. Every test saves a screenshot under target/ and
 * fails on any error in the browser's console.
 */
class ConsoleBrowserTest {

    private static LocalPipeline pipeline;
    private static ChromeDriver driver;
    private static Path video;
    @TempDir static Path dir;
    /** Console errors a test provokes on purpose (an API answer of 400 is logged by the browser as a failed load). */
    private final List<String> expectedErrors = new ArrayList<>();
    private String testName;

    @BeforeAll
    static void start() throws Exception {
        if (!Browser.available()) {
            return; // each test is skipped, with the reason, in open()
        }
        pipeline = LocalPipeline.start(LocalPipeline.Settings.interactive().withTime(0.01, 100).withLimit(4)
                .withJobDuration(Duration.ofSeconds(6)));
        // a name as people give files (spaces, brackets): the lists show it as it is, though its key cannot hold it
        video = dir.resolve("Street at dusk (final).mp4");
        // 3 s: shorter than the raw generation (81 frames at 16 fps), so that the comparison must run over the result's length
        Mp4Video.write(video, 320, 240, 48, 16, Mp4Video.Pattern.SCENE, Mp4Video.Inset.NONE);
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

    @BeforeEach
    void open(TestInfo info) {
        assumeTrue(Browser.available(), "chromium and chromedriver are not installed (.ci/run installs them)");
        testName = info.getTestMethod().orElseThrow().getName();
        driver.manage().window().setSize(new Dimension(1280, 1000));
        driver.get("about:blank");
        driver.get(pipeline.httpApi().consoleUrl() + "#/new");
        wait(20).until(d -> !d.findElements(By.id("f-prompt")).isEmpty());
        // the link's token was spent for the session cookie and left the address bar; the route stayed
        assertThat(driver.getCurrentUrl()).isEqualTo(pipeline.httpApi().url() + "/console/#/new");
    }

    @AfterEach
    void screenshotAndConsole() throws Exception {
        if (driver == null) {
            return;
        }
        Browser.screenshot(driver, testName);
        List<String> errors = new ArrayList<>();
        for (LogEntry entry : driver.manage().logs().get(LogType.BROWSER)) {
            if (entry.getLevel().intValue() >= Level.SEVERE.intValue()
                    && expectedErrors.stream().noneMatch(entry.getMessage()::contains)) {
                errors.add(entry.getMessage());
            }
        }
        assertThat(errors).as("browser console errors").isEmpty();
    }

    @Test
    void runsADroppedVideoToSucceededAndPlaysInputAndResultInSync() throws Exception {
        int jobsBefore = jobCount();
        drop(video);
        wait(30).until(d -> d.findElement(By.id("upload-state")).getText().startsWith("Uploaded: inputs/staged/"));
        Thread.sleep(1500); // several scans of the bucket's S3 events: a staged upload starts no job
        assertThat(jobCount()).isEqualTo(jobsBefore);
        type("f-prompt", "a wide sunny street");
        new Select(driver.findElement(By.id("f-resolution"))).selectByValue("480p");
        // the raw flags, under Advanced, instead of a preset; and the raw generation as the result
        driver.findElement(By.cssSelector("#advanced summary")).click();
        driver.findElement(By.id("f-aspect-raw")).click();
        driver.findElement(By.id("f-expandTop")).click();
        driver.findElement(By.id("f-finish")).click();
        driver.findElement(By.id("estimate-button")).click();
        wait(30).until(d -> d.findElement(By.id("estimate")).getText().matches("\\d+ creative units"));

        Browser.screenshotWholePage(driver, "new-job");
        driver.manage().window().setSize(new Dimension(1280, 1000));
        driver.findElement(By.id("start-button")).click();
        wait(20).until(d -> d.getCurrentUrl().matches(".*#/jobs/api-[0-9a-f-]+"));
        String jobId = driver.getCurrentUrl().replaceAll(".*#/jobs/", "");
        assertThat(jobCount()).isEqualTo(jobsBefore + 1);
        wait(90).until(d -> d.findElement(By.cssSelector("#summary .badge")).getText().equals("SUCCEEDED"));
        wait(30).until(d -> Boolean.TRUE.equals(js("const a = document.getElementById('input-video'), b = document.getElementById('result-video');"
                + "return !!a && !!b && a.readyState >= 2 && b.readyState >= 2 && a.videoWidth > 0 && b.videoWidth > 0;")));
        assertThat(number("return document.getElementById('input-video').videoWidth")).isEqualTo(320);
        // outpainted left and right only (top was switched off), then scaled to 480p
        assertThat(number("return document.getElementById('result-video').videoHeight")).isEqualTo(480);
        assertThat(driver.findElement(By.id("request")).getText()).contains("resolution").contains("480p").contains("expandTop")
                .contains("finish").doesNotContain("target");
        assertThat(driver.findElements(By.cssSelector("#steps li[data-step='finishing']"))).as("no finishing step").isEmpty();
        assertThat(driver.findElement(By.id("history")).getText()).contains("QUEUED").contains("SUCCEEDED");
        assertThat(driver.findElement(By.id("subtitle")).getText()).isEqualTo("Street at dusk (final).mp4 · “a wide sunny street”");
        assertThat(driver.findElements(By.cssSelector("#downloads a[download]"))).hasSize(2);

        driver.findElement(By.id("play")).click();
        wait(15).until(d -> number("return document.getElementById('result-video').currentTime") > 1.0);
        @SuppressWarnings("unchecked")
        List<Object> times = (List<Object>) js("const a = document.getElementById('input-video'), b = document.getElementById('result-video');"
                + "return [a.currentTime, b.currentTime, a.paused, b.paused];");
        double input = ((Number) times.get(0)).doubleValue();
        double result = ((Number) times.get(1)).doubleValue();
        assertThat(input).as("the input plays too").isGreaterThan(0.8);
        assertThat(Math.abs(input - result)).as("input %.3f s, result %.3f s", input, result).isLessThan(0.3);
        assertThat(times.subList(2, 4)).containsOnly(false);

        driver.findElement(By.id("play")).sendKeys(Keys.SPACE); // the keyboard pauses both
        wait(5).until(d -> Boolean.TRUE.equals(js("return document.getElementById('input-video').paused && document.getElementById('result-video').paused")));
        js("const s = document.getElementById('seek'); s.value = '2.5'; s.dispatchEvent(new Event('input'));");
        wait(5).until(d -> Math.abs(number("return document.getElementById('input-video').currentTime") - 2.5) < 0.1
                && Math.abs(number("return document.getElementById('result-video').currentTime") - 2.5) < 0.1);
        // over the longer of the two: the result plays on past the input's end, which holds its last frame
        double inputLength = number("return document.getElementById('input-video').duration");
        double resultLength = number("return document.getElementById('result-video').duration");
        assertThat(resultLength).isGreaterThan(inputLength + 1);
        assertThat(number("return Number(document.getElementById('seek').max)")).isCloseTo(resultLength, org.assertj.core.data.Offset.offset(0.011));
        js("const s = document.getElementById('seek'); s.value = String(" + (inputLength + 0.5) + "); s.dispatchEvent(new Event('input'));");
        driver.findElement(By.id("play")).click();
        wait(15).until(d -> number("return document.getElementById('result-video').currentTime") > inputLength + 1.2);
        assertThat(js("return document.getElementById('input-video').paused")).isEqualTo(true);
        assertThat(number("return document.getElementById('input-video').currentTime")).isCloseTo(inputLength, org.assertj.core.data.Offset.offset(0.15));
        assertThat(js("return document.getElementById('result-video').paused")).isEqualTo(false);
        wait(15).until(d -> Boolean.TRUE.equals(js("return document.getElementById('result-video').paused")));
        assertThat(number("return document.getElementById('result-video').currentTime")).isCloseTo(resultLength, org.assertj.core.data.Offset.offset(0.15));
        js("const s = document.getElementById('seek'); s.value = '2.5'; s.dispatchEvent(new Event('input'));");
        Browser.screenshotWholePage(driver, "job-page");

        driver.manage().window().setSize(new Dimension(390, 844));
        assertThat(number("return document.documentElement.scrollWidth - window.innerWidth")).as("no sideways scrolling at phone width").isLessThanOrEqualTo(0);
        Browser.screenshot(driver, "job-page-phone");

        driver.manage().window().setSize(new Dimension(1280, 1000));
        driver.get(pipeline.httpApi().consoleUrl() + "#/jobs?status=SUCCEEDED");
        wait(20).until(d -> !d.findElements(By.cssSelector("tr[data-job='" + jobId + "']")).isEmpty());
        assertThat(driver.findElement(By.cssSelector("tr[data-job='" + jobId + "']")).getText()).contains("SUCCEEDED").contains("100%").contains("ago");
        // told apart by the file's name and the prompt's start, the id beside them
        assertThat(driver.findElement(By.cssSelector("tr[data-job='" + jobId + "'] .file")).getText()).isEqualTo("Street at dusk (final).mp4");
        assertThat(driver.findElement(By.cssSelector("tr[data-job='" + jobId + "'] .prompt")).getText()).isEqualTo("“a wide sunny street”");
        assertThat(driver.findElement(By.cssSelector("tr[data-job='" + jobId + "'] .id")).getText()).isEqualTo(jobId);
        // the result's thumbnail: a frame of the result, loaded once and kept across the list's refreshes
        String thumb = "document.querySelector(\"tr[data-job='" + jobId + "'] video.thumb\")";
        wait(30).until(d -> Boolean.TRUE.equals(js("const v = " + thumb + "; return !!v && v.readyState >= 2 && v.videoHeight === 480;")));
        js(thumb + ".dataset.marked = 'yes';");
        Thread.sleep(2500); // one refresh of the list
        assertThat(js("return " + thumb + ".dataset.marked")).isEqualTo("yes");
        Browser.screenshot(driver, "jobs-list");
    }

    @Test
    void statusBadgesReadAsTheApisStatusesOnOneLineEvenInANarrowColumn() {
        // the console's own badge function, each status in a column narrower than the longest badge would need to wrap
        @SuppressWarnings("unchecked")
        List<List<Object>> badges = (List<List<Object>>) driver.executeAsyncScript("const statuses = arguments[0], done = arguments[arguments.length - 1];"
                + "import(new URL('dom.js', location.href).href).then((m) => {"
                + "  const column = document.createElement('div'); column.style.width = '60px'; document.body.append(column);"
                + "  const rows = statuses.map((s) => { const b = m.badge(s); column.append(b, document.createElement('br'));"
                + "    const r = b.getBoundingClientRect(); return [s, b.textContent, r.height]; });"
                + "  column.remove(); done(rows); });",
                java.util.Arrays.stream(io.outpaint.job.JobStatus.values()).map(Enum::name).toList());
        assertThat(badges).hasSize(io.outpaint.job.JobStatus.values().length);
        double oneLine = ((Number) badges.get(0).get(2)).doubleValue();
        for (List<Object> badge : badges) {
            assertThat(badge.get(1)).as("the badge of %s reads as the status", badge.get(0)).isEqualTo(badge.get(0));
            assertThat(((Number) badge.get(2)).doubleValue()).as("%s on one line", badge.get(0)).isEqualTo(oneLine);
        }
    }

    @Test
    void cancelsARunningJob() {
        choose(video);
        wait(30).until(d -> d.findElement(By.id("upload-state")).getText().startsWith("Uploaded:"));
        type("f-prompt", "a street that goes on");
        driver.findElement(By.id("start-button")).click();
        wait(20).until(d -> d.getCurrentUrl().contains("#/jobs/api-"));
        WebElement cancel = wait(20).until(d -> {
            WebElement button = d.findElement(By.id("cancel"));
            return button.isDisplayed() ? button : null;
        });
        assertThat(js("return document.querySelector('#summary .badge').textContent")).isNotIn("SUCCEEDED", "FAILED", "CANCELED");
        cancel.click();
        wait(20).until(d -> d.findElement(By.cssSelector("#summary .badge")).getText().equals("CANCELED"));
        assertThat(driver.findElement(By.id("notice")).getText()).contains("Scenario");
        assertThat(driver.findElement(By.id("cancel")).isDisplayed()).isFalse();
        assertThat(driver.findElement(By.id("history")).getText()).contains("CANCELED");
        assertThat(driver.findElement(By.id("result-placeholder")).getText()).isEqualTo("No result: the job ended CANCELED");
    }

    @Test
    void showsTheApiFieldErrorBesideItsField() {
        choose(video);
        wait(30).until(d -> d.findElement(By.id("upload-state")).getText().startsWith("Uploaded:"));
        type("f-prompt", "a street");
        driver.findElement(By.cssSelector("#more-inputs summary")).click();
        type("f-numInferenceSteps", "90");
        expectedErrors.add("/estimate - Failed to load resource: the server responded with a status of 400");
        driver.findElement(By.id("estimate-button")).click();
        WebElement error = wait(20).until(d -> {
            WebElement e = d.findElement(By.id("e-numInferenceSteps"));
            return e.isDisplayed() ? e : null;
        });
        assertThat(error.getText()).contains("2").contains("50");
        assertThat(error.findElement(By.xpath("..")).getAttribute("data-field")).isEqualTo("numInferenceSteps");
        assertThat(driver.findElement(By.id("f-numInferenceSteps")).getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(driver.findElement(By.id("e-prompt")).isDisplayed()).isFalse();
        assertThat(driver.findElement(By.id("estimate")).getText()).isEmpty();
    }

    /** Jobs on record, through the API with its key (outside the browser). */
    private static int jobCount() throws Exception {
        var answer = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(pipeline.httpApi().url() + "/jobs?limit=100")).header("x-api-key", pipeline.httpApi().apiKey()).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(200);
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(answer.body()).path("jobs").size();
    }

    private void drop(Path file) {
        // a real drop: the file goes into a DataTransfer and the drop zone receives the drop event
        js("const i = document.createElement('input'); i.type = 'file'; i.id = 'test-drag-source'; document.body.append(i);");
        driver.findElement(By.id("test-drag-source")).sendKeys(file.toString());
        js("const file = document.getElementById('test-drag-source').files[0]; const zone = document.getElementById('drop');"
                + "const data = new DataTransfer(); data.items.add(file);"
                + "zone.dispatchEvent(new DragEvent('dragover', {dataTransfer: data, bubbles: true, cancelable: true}));"
                + "zone.dispatchEvent(new DragEvent('drop', {dataTransfer: data, bubbles: true, cancelable: true}));"
                + "document.getElementById('test-drag-source').remove();");
    }

    private void choose(Path file) {
        driver.findElement(By.id("file")).sendKeys(file.toString());
    }

    private void type(String id, String text) {
        WebElement field = driver.findElement(By.id(id));
        field.clear();
        field.sendKeys(text);
    }

    private Object js(String script) {
        return ((JavascriptExecutor) driver).executeScript(script);
    }

    private double number(String script) {
        return ((Number) js(script)).doubleValue();
    }

    /** Waits, reading again what the page re-rendered meanwhile (job pages refresh as the job moves). */
    private static org.openqa.selenium.support.ui.FluentWait<org.openqa.selenium.WebDriver> wait(int seconds) {
        return new WebDriverWait(driver, Duration.ofSeconds(seconds), Duration.ofMillis(100))
                .ignoring(org.openqa.selenium.StaleElementReferenceException.class);
    }
}
