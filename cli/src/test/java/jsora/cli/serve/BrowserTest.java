package jsora.cli.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import jsora.cli.GenerateCommand;
import jsora.models.pipeline.MemoryPlan;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The page in a real browser: Debian's chromium, headless, through its chromedriver ({@code .ci/run} installs both;
 * elsewhere the test is skipped with a message). It types a prompt, submits it on the demo model, waits for the
 * progress to reach the end and checks that the {@code <video>} element has loaded a playable video.
 */
class BrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    @TempDir
    Path dir;

    @Test
    void aPromptBecomesAVideoPlayingInThePage() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER),
                "skipped: needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)");
        WebServer server = new WebServer(new Jobs(GenerateCommand.checkpoints(Path.of("demo")), MemoryPlan.forThisJvm(0), dir),
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        server.start();
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=420,900",
                        "--autoplay-policy=no-user-gesture-required");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort().build();
        ChromeDriver browser = new ChromeDriver(service, options);
        try {
            browser.get("http://127.0.0.1:" + server.port() + "/");
            JavascriptExecutor js = browser;
            // the page fills in generate's defaults from /api/fields: wait for them before typing over one
            for (int i = 0; i < 200 && "".equals(js.executeScript(
                    "return document.querySelector('[name=steps]').value;")); i++) {
                Thread.sleep(50);
            }
            assertEquals("30", js.executeScript("return document.querySelector('[name=steps]').value;"));
            WebElement prompt = browser.findElement(By.name("prompt"));
            prompt.clear();
            prompt.sendKeys("a red circle moving right");
            browser.findElement(By.name("size")).sendKeys("64x64");
            browser.findElement(By.name("frames")).sendKeys("17");
            WebElement steps = browser.findElement(By.name("steps"));
            steps.clear();
            steps.sendKeys("3");
            browser.findElement(By.cssSelector("button[type=submit]")).click();
            String status = "";
            long until = System.nanoTime() + 180_000_000_000L;
            // the video element appears when the job is done; playable once it has data for the current frame
            while (System.nanoTime() < until) {
                status = browser.findElement(By.id("status")).getText();
                Object ready = js.executeScript("const v = document.querySelector('#result video');"
                        + " return v ? v.readyState : -1;");
                if (((Number) ready).intValue() >= 2 || status.startsWith("Failed")) {
                    break;
                }
                Thread.sleep(200);
            }
            assertEquals("Done", status);
            Object progress = js.executeScript("const b = document.getElementById('bar'); return [b.value, b.max];");
            assertEquals(java.util.List.of(3L, 3L), progress);
            Object video = js.executeScript("const v = document.querySelector('#result video');"
                    + " return [v.readyState, v.videoWidth, v.videoHeight, v.duration, v.error === null];");
            java.util.List<?> v = (java.util.List<?>) video;
            assertTrue(((Number) v.get(0)).intValue() >= 2, "readyState " + v);
            assertEquals(64L, ((Number) v.get(1)).longValue(), "width " + v);
            assertEquals(64L, ((Number) v.get(2)).longValue(), "height " + v);
            assertTrue(Math.abs(((Number) v.get(3)).doubleValue() - 17 / 24.0) < 0.05, "duration " + v);
            assertEquals(Boolean.TRUE, v.get(4), "a media error " + v);
            Path shot = Path.of(System.getProperty("jsora.screenshot", dir.resolve("serve.png").toString()));
            Files.write(shot, browser.getScreenshotAs(OutputType.BYTES));
        } finally {
            browser.quit();
            server.stop();
        }
    }
}
