package com.sheratan.offgrid.mesh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sheratan.offgrid.launch.RunningRole;
import com.sheratan.offgrid.testing.Http;
import com.sheratan.offgrid.testing.TestRoles;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * SPEC 14, the dashboard, in a real browser: Debian's headless Chromium (installed by .ci/run) drives
 * /ui/ of a real mesh, submits a job with the form and sees it completed without a reload, and sees a
 * job submitted elsewhere arrive through the event stream. Leaves target/dashboard.png.
 */
class DashboardBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    @TempDir
    Path home;

    private final Http http = new Http();
    private TestRoles roles;
    private WebDriver browser;

    @BeforeEach
    void needsChromium() {
        boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER);
        if (System.getenv("CI") != null) {
            assertTrue(installed, "CI must have Debian's chromium and chromium-driver (.ci/run installs them)");
        }
        Assumptions.assumeTrue(installed, "apt-get install -y chromium chromium-driver to run the browser test");
    }

    @AfterEach
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (roles != null) {
            roles.close();
        }
    }

    /** host-a, host-b (dearer), broker and core in the test's folder; {@code env} plays the environment. */
    private RunningRole startMesh(Map<String, String> env) throws Exception {
        Files.createDirectories(home.resolve("discovery"));
        roles = new TestRoles(home, env);
        RunningRole hostA = roles.host("host-a", Map.of());
        RunningRole hostB = roles.host("host-b", Map.of("offgrid.host.price.per-mtoken-infer", "1.5"));
        Files.writeString(home.resolve("discovery/mesh_hosts.json"), "{\"" + hostA.baseUrl()
                + "\":{\"node_id\":\"host-a\"},\"" + hostB.baseUrl() + "\":{\"node_id\":\"host-b\"}}");
        RunningRole broker = roles.broker(Map.of());
        return roles.core(Map.of("offgrid.broker-url", broker.baseUrl()));
    }

    private WebDriverWait openBrowser() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1400,1300", "--no-proxy-server");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        return new WebDriverWait(browser, Duration.ofSeconds(30));
    }

    private void submitWithTheForm(String jobId) {
        new Select(browser.findElement(By.id("submit-kind"))).selectByVisibleText("echo");
        WebElement payload = browser.findElement(By.id("submit-payload"));
        payload.clear();
        payload.sendKeys("{\"text\": \"from the browser\"}");
        browser.findElement(By.id("submit-job-id")).sendKeys(jobId);
        browser.findElement(By.id("submit-button")).click();
    }

    @Test
    void formSubmitsAJobThatAppearsCompletedLiveWithoutAReload() throws Exception {
        RunningRole core = startMesh(Map.of());
        WebDriverWait wait = openBrowser();

        browser.get(core.baseUrl() + "/ui/");
        wait.until(ExpectedConditions.textToBe(By.id("live"), "events: live"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("hosts"), "host-a"));

        submitWithTheForm("browser-1");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#job-browser-1[data-status='completed']")));

        // a job from elsewhere reaches the open page through /api/events
        assertEquals(200, http.postJson(core.baseUrl() + "/api/jobs",
                "{\"job_id\":\"curl-1\",\"kind\":\"sha256\",\"payload\":{\"text\":\"abc\"}}").statusCode());
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#job-curl-1[data-status='completed']")));
        String path = browser.findElement(By.id("job-curl-1")).getText();
        assertTrue(path.contains("received → mapped → auction") && path.contains("host host-a"), path);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("auctions"), "curl-1"));
        assertTrue(browser.findElement(By.cssSelector("#plot canvas")).isDisplayed(), "no plot");

        // the ledger panel: both charges, a checkpoint the core verified, balances summing to zero
        wait.until(ExpectedConditions.textToBe(By.id("ledger"), "verifies · 2 entries"));
        String balances = browser.findElement(By.id("balances")).getText();
        assertTrue(balances.contains("host:host-a") && balances.contains("sum 0.000000000"), balances);
        // mesh storage is part of every core: the panel counts its objects (none stored here)
        assertEquals("0 objects · 0 bytes", browser.findElement(By.id("storage")).getText());
        assertTrue(!browser.findElement(By.id("token-form")).isDisplayed(), "a core without tokens asks for none");

        File shot = ((ChromeDriver) browser).getScreenshotAs(OutputType.FILE);
        Path saved = Path.of("target/dashboard.png");
        Files.createDirectories(saved.getParent());
        Files.copy(shot.toPath(), saved, StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void withApiTokensThePageAsksForTheTokenThenWorksLive() throws Exception {
        RunningRole core = startMesh(Map.of("OFFGRID_API_TOKENS", "browser-token"));
        WebDriverWait wait = openBrowser();

        browser.get(core.baseUrl() + "/ui/");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token-form")));
        assertEquals("events: need an API token", browser.findElement(By.id("live")).getText());
        browser.findElement(By.id("token")).sendKeys("browser-token");
        browser.findElement(By.id("token-button")).click();
        wait.until(ExpectedConditions.textToBe(By.id("live"), "events: live"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("hosts"), "host-a"));

        submitWithTheForm("browser-tok-1");
        wait.until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#job-browser-tok-1[data-status='completed']")));
        // a job from elsewhere arrives through the ticket-opened event stream
        assertEquals(200, http.post(core.baseUrl() + "/api/jobs",
                "{\"job_id\":\"curl-tok-1\",\"kind\":\"echo\",\"payload\":{}}".getBytes(StandardCharsets.UTF_8),
                Map.of("Content-Type", "application/json", "Authorization", "Bearer browser-token")).statusCode());
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#job-curl-tok-1[data-status='completed']")));
        assertTrue(browser.getCurrentUrl().endsWith("/ui/"), "the token never goes into the page's URL");
    }
}
