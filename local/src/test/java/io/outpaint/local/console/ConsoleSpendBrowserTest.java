package io.outpaint.local.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.outpaint.budget.Budget;
import io.outpaint.budget.BudgetPeriod;
import io.outpaint.local.LocalPipeline;
import io.outpaint.local.testing.ApiCalls;
import io.outpaint.simulator.video.Mp4Video;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;
import software.amazon.awssdk.core.sync.RequestBody;

/** The console's header: the current budget period's spend against the budget, as GET /usage gives it, after a job ran. */
class ConsoleSpendBrowserTest {

    private static final String KEY = "inputs/console-spend/clip.mp4";
    private static LocalPipeline pipeline;
    private static ChromeDriver driver;
    @TempDir static Path dir;

    @BeforeAll
    static void start() throws Exception {
        if (!Browser.available()) {
            return;
        }
        pipeline = LocalPipeline.start(LocalPipeline.Settings.interactive().withoutUploadTrigger().withTime(0.01, 100)
                .withJobDuration(Duration.ofMillis(600)).withBudget(new Budget(500, BudgetPeriod.DAY)));
        Path video = dir.resolve("clip.mp4");
        Mp4Video.write(video, 160, 120, 16, 4, Mp4Video.Pattern.CANVAS, Mp4Video.Inset.NONE);
        try (var s3 = pipeline.cloud().s3()) {
            s3.putObject(b -> b.bucket(LocalPipeline.BUCKET).key(KEY).contentType("video/mp4"), RequestBody.fromFile(video));
        }
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
    void theHeaderShowsThePeriodsSpendAgainstTheBudget() throws Exception {
        assumeTrue(Browser.available(), "chromium and chromedriver are not installed (.ci/run installs them)");
        ApiCalls api = new ApiCalls(pipeline);
        String jobId = api.create(KEY, "{\"prompt\":\"p\",\"resolution\":\"480p\"}");
        int billed = api.awaitStatus(jobId, "SUCCEEDED", Duration.ofMinutes(2)).path("billing").path("billed").asInt();
        assertThat(billed).isPositive();

        driver.get(pipeline.httpApi().consoleUrl() + "#/jobs");
        String today = BudgetPeriod.DAY.of(Instant.now());
        String expected = today + ": " + billed + " of 500 creative units spent";
        new WebDriverWait(driver, Duration.ofSeconds(20)).until(d -> d.findElement(By.id("spend")).getText().equals(expected));
        assertThat(driver.findElement(By.id("spend")).isDisplayed()).isTrue();
        assertThat(driver.findElement(By.cssSelector("header.top #spend")).getAttribute("title")).contains("1 job(s) on the books of " + today);
        Browser.screenshot(driver, "theHeaderShowsThePeriodsSpendAgainstTheBudget");
    }
}
