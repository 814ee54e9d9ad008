package dev.parley.server.support;

import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A headless Debian chromium driven through Debian's chromedriver, both given by path, so nothing is downloaded
 * at test time (Selenium Manager is never asked). One browser per test class; a fresh profile directory each time.
 * Tests using it are skipped (not failed) on a machine without chromium: {@code .ci/run} installs it.
 */
public final class Browser implements AutoCloseable {

    public static final String CHROMIUM = System.getProperty("parley.chromium", "/usr/bin/chromium");
    public static final String CHROMEDRIVER = System.getProperty("parley.chromedriver", "/usr/bin/chromedriver");

    public final WebDriver driver;
    private final String base;
    private final Path profile;

    private Browser(WebDriver driver, String base, Path profile) {
        this.driver = driver;
        this.base = base;
        this.profile = profile;
    }

    public static boolean available() {
        return new File(CHROMIUM).canExecute() && new File(CHROMEDRIVER).canExecute();
    }

    public static Browser start(int port) {
        System.setProperty("SE_OFFLINE", "true");
        try {
            Path profile = Files.createTempDirectory("parley-chromium-");
            ChromeOptions options = new ChromeOptions();
            options.setBinary(CHROMIUM);
            options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--no-first-run", "--window-size=1360,900", "--user-data-dir=" + profile);
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
            ChromeDriver driver = new ChromeDriver(service, options);
            driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
            return new Browser(driver, "http://localhost:" + port, profile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void open(String path) {
        driver.get(base + path);
    }

    public String url() {
        return driver.getCurrentUrl();
    }

    public WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    public java.util.List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    public void type(String css, String text) {
        WebElement e = find(css);
        e.clear();
        e.sendKeys(text);
    }

    public void click(String css) {
        find(css).click();
    }

    /** Waits (up to 30 s) until the condition holds; no fixed sleeps. */
    public <T> T waitFor(ExpectedCondition<T> condition) {
        return new WebDriverWait(driver, Duration.ofSeconds(30))
                .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .ignoring(java.util.NoSuchElementException.class).until(condition);
    }

    public WebElement waitForElement(String css) {
        return waitFor(d -> {
            java.util.List<WebElement> found = d.findElements(By.cssSelector(css));
            return found.isEmpty() || !found.get(0).isDisplayed() ? null : found.get(0);
        });
    }

    public void signIn(String email, String password) {
        open("/login");
        type("#email", email);
        type("#password", password);
        click("#sign-in");
        waitFor(d -> !d.getCurrentUrl().contains("/login"));
    }

    /**
     * Saves a PNG of the current page into {@code docs/screenshots/} of the repository, only when the build runs
     * with {@code -Dparley.screenshots=true} (so ordinary test runs leave the work tree alone).
     */
    public void screenshot(String name) {
        if (!Boolean.getBoolean("parley.screenshots")) {
            return;
        }
        Path dir = repositoryRoot().resolve("docs/screenshots");
        try {
            Files.createDirectories(dir);
            File png = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
            Files.copy(png.toPath(), dir.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path repositoryRoot() {
        Path here = Path.of("").toAbsolutePath();
        return here.getFileName() != null && here.getFileName().toString().equals("parley-server")
                ? here.getParent() : here;
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // a leftover temp profile is harmless
            }
        }
    }
}
