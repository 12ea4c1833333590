package io.plsim.app.console;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A headless Chromium driven by Selenium, as the console's browser tests use it: started with nothing in
 * the background (the machine has no network beyond loopback), a viewport of an exact size, and the
 * steps a user takes (click, type, act as), each waiting on what it needs with a deadline.
 *
 * <p>{@link #start} skips the test, saying so, where Chromium or ChromeDriver is not on the PATH
 * ({@code apt-get install chromium chromium-driver}; other paths through {@code -Dplsim.chromium=} and
 * {@code -Dplsim.chromedriver=}).
 */
final class ConsoleBrowser implements AutoCloseable {

    static final Duration DEADLINE = Duration.ofSeconds(15);
    private static final String CHROMIUM = System.getProperty("plsim.chromium", onPath("chromium"));
    private static final String CHROMEDRIVER = System.getProperty("plsim.chromedriver", onPath("chromedriver"));

    // Selenium looks for DevTools classes of this very Chromium, which the tests do not use: quiet.
    private static final Logger CDP = Logger.getLogger("org.openqa.selenium.devtools.CdpVersionFinder");

    static {
        CDP.setLevel(Level.SEVERE);
    }

    final ChromeDriver driver;
    final WebDriverWait wait;
    private final Path profile;

    private ConsoleBrowser(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
        this.wait = new WebDriverWait(driver, DEADLINE, Duration.ofMillis(100));
    }

    /** Skips the calling test, saying so, without Chromium and ChromeDriver. */
    static void assumeInstalled(String test) {
        if (!new File(CHROMIUM).canExecute() || !new File(CHROMEDRIVER).canExecute()) {
            String why = "the console's browser tests need headless Chromium and ChromeDriver (" + CHROMIUM + ", "
                    + CHROMEDRIVER + "; on Debian: apt-get install chromium chromium-driver): skipped";
            // Said where the build's reader looks, not only in the report: a skip must not pass unseen.
            System.err.println(test + ": " + why);
            Assumptions.abort(why);
        }
    }

    static ConsoleBrowser start(String test) throws Exception {
        assumeInstalled(test);
        Path profile = Files.createTempDirectory("plsim-console-chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-extensions", "--user-data-dir=" + profile, "--window-size=1400,1000");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
        return new ConsoleBrowser(new ChromeDriver(service, options), profile);
    }

    /** The viewport set to exactly {@code width} x {@code height} CSS pixels, as a window of that size shows. */
    void viewport(int width, int height) {
        driver.executeCdpCommand("Emulation.setDeviceMetricsOverride",
                Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", false));
    }

    void get(String url) {
        driver.get(url);
    }

    Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /** Chooses the identity that signs with {@code accessKeyId} in the header's picker. */
    void actAs(String accessKeyId) {
        Select identity = new Select(wait.until(ExpectedConditions.presenceOfElementLocated(By.id("identity"))));
        wait.until(d -> !identity.getOptions().isEmpty());
        identity.selectByValue(accessKeyId);
    }

    void click(By by) {
        // A view redraws what changed every second or two: find the element afresh when it was replaced.
        wait.ignoring(StaleElementReferenceException.class).until(d -> {
            WebElement e = ExpectedConditions.elementToBeClickable(by).apply(d);
            if (e == null) {
                return false;
            }
            e.click();
            return true;
        });
    }

    /**
     * The page's confirmation dialog, which must be open (an action that deletes or cuts traffic asks
     * first) and say {@code says}: its action button pressed when {@code yes}, Cancel otherwise; waits
     * until it is gone.
     */
    void confirm(String says, boolean yes) {
        WebElement dialog = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("dialog#ask[open]")));
        String text = dialog.getText();
        if (!text.contains(says)) {
            throw new AssertionError("the confirmation says \"" + text + "\", not \"" + says + "\"");
        }
        dialog.findElement(By.id(yes ? "ask-yes" : "ask-no")).click();
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector("dialog#ask")));
    }

    /**
     * Waits for the answer to an action ({@code #flash} holding one of {@code kind}) and returns what is
     * wrong with where it is, or null: it must be inside the window, where the control that made it is
     * (the control is checked to be in the window too, so that the answer is in view of it).
     */
    String answerOutOfView(By control, String kind) {
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#flash ." + kind)));
        WebElement c = wait.ignoring(StaleElementReferenceException.class)
                .until(ExpectedConditions.presenceOfElementLocated(control));
        Object where = js("""
                const inView = r => r.top >= 0 && r.bottom <= innerHeight && r.left >= 0 && r.right <= innerWidth
                  && r.height > 0;
                const a = document.querySelector('#flash > div').getBoundingClientRect();
                const c = arguments[0].getBoundingClientRect();
                return inView(a) && inView(c) ? null
                  : `answer at ${Math.round(a.top)}..${Math.round(a.bottom)}, control at ${Math.round(c.top)}..`
                    + `${Math.round(c.bottom)}, window ${innerWidth}x${innerHeight}, scrolled to ${Math.round(scrollY)}`;
                """, c);
        return where == null ? null : where.toString();
    }

    void type(By by, String text) {
        WebElement e = wait.until(ExpectedConditions.visibilityOfElementLocated(by));
        e.clear();
        e.sendKeys(text);
    }

    void awaitState(By row, String state) {
        wait.ignoring(StaleElementReferenceException.class)
                .until(d -> d.findElements(row).stream().anyMatch(e -> state.equals(e.getAttribute("data-state"))));
    }

    /** The browser console's errors since the last call. */
    List<String> errors() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).map(LogEntry::getMessage).toList();
    }

    void screenshot(Path dir, String name) throws Exception {
        Files.createDirectories(dir);
        File shot = driver.getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), dir.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    /** Where {@code command} is on the PATH, as {@code .ci/run} looks for it; /usr/bin/{@code command} if nowhere. */
    private static String onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            File f = new File(dir, command);
            if (!dir.isEmpty() && f.canExecute()) {
                return f.getPath();
            }
        }
        return "/usr/bin/" + command;
    }

    /** Closes each that is there (a test's browser and world), all of them even when one fails. */
    static void closeAll(AutoCloseable... all) throws Exception {
        Exception first = null;
        for (AutoCloseable c : all) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    @Override
    public void close() throws Exception {
        try {
            driver.quit();
        } finally {
            try (var files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
