package io.outpaint.local.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.outpaint.local.LocalPipeline;
import io.outpaint.media.finish.FfmpegPrograms;
import io.outpaint.simulator.video.Mp4Video;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.FluentWait;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console with finishing, in a real headless Chromium against the local runtime: a clip made by
 * FFmpeg here (with sound) reframed to 1:1 by the form's preset, its plan and cost shown, the finished
 * result beside the input at one scale, the raw generation offered, the poster in the list. Saves
 * screenshots under target/screenshots and fails on any error in the browser's console.
 */
class ConsoleFinishBrowserTest {

    private static LocalPipeline pipeline;
    private static ChromeDriver driver;
    private static Path clip;
    @TempDir static Path dir;

    @BeforeAll
    static void start() throws Exception {
        if (!Browser.available()) {
            return;
        }
        pipeline = LocalPipeline.start(LocalPipeline.Settings.interactive().withTime(0.01, 100).withLimit(2)
                .withJobDuration(Duration.ofSeconds(3)));
        // a scene a reader can follow in the screenshots, with a soundtrack that finishing must carry over
        Path scene = dir.resolve("scene.mp4");
        Mp4Video.write(scene, 320, 240, 72, 24, Mp4Video.Pattern.SCENE, Mp4Video.Inset.NONE);
        clip = dir.resolve("harbour.mp4");
        ffmpeg("-i", scene.toString(), "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=3", "-map", "0:v", "-map", "1:a",
                "-c:v", "libopenh264", "-b:v", "4M", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", clip.toString());
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
    void open() {
        assumeTrue(Browser.available(), "chromium and chromedriver are not installed (.ci/run installs them)");
        driver.manage().window().setSize(new Dimension(1280, 1000));
        driver.get("about:blank");
        driver.get(pipeline.httpApi().consoleUrl() + "#/new");
        wait(20).until(d -> !d.findElements(By.id("f-prompt")).isEmpty());
    }

    @AfterEach
    void noBrowserErrors() {
        if (driver == null) {
            return;
        }
        List<String> errors = new ArrayList<>();
        for (LogEntry entry : driver.manage().logs().get(LogType.BROWSER)) {
            if (entry.getLevel().intValue() >= Level.SEVERE.intValue()) {
                errors.add(entry.getMessage());
            }
        }
        assertThat(errors).as("browser console errors").isEmpty();
    }

    @Test
    void aSquarePresetGivesAFinishedSquareBesideTheInputWithItsPosterInTheList() throws Exception {
        driver.findElement(By.id("file")).sendKeys(clip.toString());
        wait(30).until(d -> d.findElement(By.id("upload-state")).getText().startsWith("Uploaded:"));
        driver.findElement(By.id("f-prompt")).sendKeys("a harbour at dusk, boats on the water");
        new Select(driver.findElement(By.id("f-resolution"))).selectByValue("480p");
        assertThat(driver.findElement(By.id("f-aspect-9x16")).isSelected()).as("a preset is the default").isTrue();
        assertThat(driver.findElement(By.id("f-finish")).isSelected()).as("finishing is on by default").isTrue();
        assertThat(driver.findElement(By.id("f-expandTop")).isEnabled()).as("a preset locks the raw flags").isFalse();
        driver.findElement(By.cssSelector("label[for='f-aspect-1x1']")).click();
        assertThat(driver.findElement(By.id("f-aspect-1x1")).isSelected()).isTrue();
        driver.findElement(By.id("estimate-button")).click();
        wait(30).until(d -> d.findElement(By.id("estimate")).getText().matches("\\d+ creative units"));
        assertThat(driver.findElement(By.id("plan")).getText()).contains("Canvas 320 × 320").contains("no crop");
        Browser.screenshotWholePage(driver, "finish-new-job");
        driver.manage().window().setSize(new Dimension(1280, 1000));

        driver.findElement(By.id("start-button")).click();
        wait(20).until(d -> d.getCurrentUrl().matches(".*#/jobs/api-[0-9a-f-]+"));
        String jobId = driver.getCurrentUrl().replaceAll(".*#/jobs/", "");
        wait(180).until(d -> d.findElement(By.cssSelector("#summary .badge")).getText().equals("SUCCEEDED"));
        wait(30).until(d -> Boolean.TRUE.equals(js("const a = document.getElementById('input-video'), b = document.getElementById('result-video');"
                + "return !!a && !!b && a.readyState >= 2 && b.readyState >= 2 && a.videoWidth > 0 && b.videoWidth > 0;")));

        assertThat(number("return document.getElementById('input-video').videoWidth")).isEqualTo(320);
        assertThat(js("return document.getElementById('result-video').src")).asString().contains("/outpaint.mp4");
        double width = number("return document.getElementById('result-video').videoWidth");
        double height = number("return document.getElementById('result-video').videoHeight");
        assertThat(width).as("the finished video is 1:1").isPositive().isEqualTo(height);
        // shown at its shape, side by side with the input at one scale
        assertThat(number("const r = document.getElementById('result-video').getBoundingClientRect(); return r.width / r.height"))
                .isCloseTo(1.0, org.assertj.core.data.Offset.offset(0.02));
        assertThat(number("const a = document.getElementById('input-video').getBoundingClientRect(),"
                + " b = document.getElementById('result-video').getBoundingClientRect(); return Math.abs(a.top - b.top) + Math.abs(a.width - b.width)"))
                .as("same row, same scale (the source fills the square's width)").isLessThan(2);
        double longer = number("return Math.max(document.getElementById('input-video').duration, document.getElementById('result-video').duration)");
        wait(5).until(d -> Math.abs(number("return Number(document.getElementById('seek').max)") - longer) < 0.011);

        assertThat(driver.findElement(By.id("raw-link")).getAttribute("href")).contains("/raw.mp4");
        assertThat(driver.findElement(By.id("finish")).getText()).contains("320 × 320 (1:1)").contains("24 fps").contains("copied");
        assertThat(driver.findElement(By.id("geometry")).getText()).contains("1:1, anchor center").contains("320 × 320 (1:1)");
        assertThat(driver.findElement(By.cssSelector("#steps li[data-step='finishing']")).getAttribute("class")).isEqualTo("done");
        assertThat(driver.findElement(By.id("history")).getText()).contains("COPYING").contains("FINISHING").contains("SUCCEEDED");
        assertThat(driver.findElements(By.cssSelector("#downloads a[download]"))).hasSize(4);

        driver.findElement(By.id("play")).click();
        wait(15).until(d -> number("return document.getElementById('result-video').currentTime") > 1.0);
        driver.findElement(By.id("play")).click();
        js("const s = document.getElementById('seek'); s.value = '1.5'; s.dispatchEvent(new Event('input'));");
        wait(5).until(d -> Math.abs(number("return document.getElementById('input-video').currentTime") - 1.5) < 0.1
                && Math.abs(number("return document.getElementById('result-video').currentTime") - 1.5) < 0.1);
        Browser.screenshotWholePage(driver, "finish-job-page");
        driver.manage().window().setSize(new Dimension(1280, 1300));
        js("window.scrollTo(0, 0)");
        Browser.screenshot(driver, "finish-job-page-top"); // the README's picture: docs/console-job.png
        driver.manage().window().setSize(new Dimension(1280, 1000));

        driver.get(pipeline.httpApi().consoleUrl() + "#/jobs");
        String row = "tr[data-job='" + jobId + "']";
        wait(20).until(d -> !d.findElements(By.cssSelector(row)).isEmpty());
        assertThat(driver.findElement(By.cssSelector(row + " .badge")).getText()).isEqualTo("SUCCEEDED");
        wait(30).until(d -> Boolean.TRUE.equals(js("const i = document.querySelector(\"" + row + " img.thumb\");"
                + " return !!i && i.complete && i.naturalWidth > 0;")));
        assertThat(number("return document.querySelector(\"" + row + " img.thumb\").naturalWidth")).isEqualTo(width);
        Browser.screenshot(driver, "finish-jobs-list");
    }

    @Test
    void badgesSpellTheStatusAsTheApiDoes() {
        Object text = ((JavascriptExecutor) driver).executeAsyncScript("const done = arguments[arguments.length - 1];"
                + "import('./dom.js').then((m) => done(['WAITING_FOR_SLOT', 'TIMED_OUT', 'FINISHING'].map((s) => m.badge(s).textContent)));");
        assertThat(text).asList().containsExactly("WAITING_FOR_SLOT", "TIMED_OUT", "FINISHING");
    }

    private static Object js(String script) {
        return ((JavascriptExecutor) driver).executeScript(script);
    }

    private static double number(String script) {
        return ((Number) js(script)).doubleValue();
    }

    private static FluentWait<WebDriver> wait(int seconds) {
        return new WebDriverWait(driver, Duration.ofSeconds(seconds), Duration.ofMillis(100))
                .ignoring(org.openqa.selenium.StaleElementReferenceException.class);
    }

    /** The bundled ffmpeg, as the finishing step runs it. */
    private static void ffmpeg(String... args) throws Exception {
        FfmpegPrograms programs = FfmpegPrograms.locate();
        List<String> command = new ArrayList<>(List.of(programs.ffmpeg().toString(), "-hide_banner", "-nostdin", "-y", "-loglevel", "error"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(programs.environment());
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(process.exitValue()).as("ffmpeg: " + out).isZero();
    }
}
