package org.schoolgate.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven by its chromedriver, both at fixed paths so Selenium Manager
 * never looks for (or downloads) a driver; a fresh profile per browser, deleted on close. Plus
 * axe-core (from its WebJar) injected into a page to find accessibility violations.
 */
final class Browser implements AutoCloseable {
  static final String CHROMIUM = "/usr/bin/chromium";
  static final String CHROMEDRIVER = "/usr/bin/chromedriver";
  private static final String AXE = "/META-INF/resources/webjars/axe-core/4.6.3/axe.min.js";

  private final Path profile;
  private final ChromeDriver driver;
  private final String base;

  Browser(String base) throws IOException {
    this(base, List.of());
  }

  /** A browser with more Chromium switches, e.g. {@code --proxy-pac-url=...}. */
  Browser(String base, List<String> switches) throws IOException {
    assertThat(new File(CHROMIUM).canExecute())
        .as("Chromium at " + CHROMIUM + " (apt-get install chromium chromium-driver)").isTrue();
    assertThat(new File(CHROMEDRIVER).canExecute())
        .as("chromedriver at " + CHROMEDRIVER + " (apt-get install chromium-driver)").isTrue();
    this.base = base;
    this.profile = Files.createTempDirectory("console-ui-chromium");
    ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM).addArguments("--headless=new", "--no-sandbox",
        "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update",
        "--no-first-run", "--disable-extensions", "--user-data-dir=" + profile).addArguments(switches);
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER))
        .usingAnyFreePort().build();
    this.driver = new ChromeDriver(service, options);
    driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60)).scriptTimeout(Duration.ofSeconds(60));
  }

  /** Opens a path of the admin server. */
  Browser open(String pathAndQuery) {
    driver.get(base + pathAndQuery);
    return this;
  }

  /** Opens an absolute URL (through the browser's proxy settings, if any). */
  Browser openUrl(String url) {
    driver.get(url);
    return this;
  }

  /** The text of the whole page shown. */
  String pageText() {
    return text("body");
  }

  /** The path and query of the page shown. */
  String path() {
    String url = driver.getCurrentUrl();
    return url.startsWith(base) ? url.substring(base.length()) : url;
  }

  WebElement find(String css) {
    return driver.findElement(By.cssSelector(css));
  }

  List<WebElement> all(String css) {
    return driver.findElements(By.cssSelector(css));
  }

  String text(String css) {
    return find(css).getText();
  }

  /** Types into a field (cleared first). */
  Browser type(String css, String text) {
    WebElement e = find(css);
    e.clear();
    e.sendKeys(text);
    return this;
  }

  /**
   * Clicks a link or button and waits (up to 30 s) until the page it leads to has replaced this one
   * and finished loading. The old page is recognised by a mark set on its window before the click, not
   * by a reference to one of its elements: asked about an element of a page that has just gone,
   * Chromium may answer "Node with given id does not belong to the document" instead of "stale".
   */
  Browser click(String css) {
    script("window.__schoolgateOldPage = true;");
    find(css).click();
    new WebDriverWait(driver, Duration.ofSeconds(30)).ignoring(WebDriverException.class).until(d -> Boolean.TRUE.equals(
        ((JavascriptExecutor) d).executeScript(
            "return window.__schoolgateOldPage !== true && document.readyState === 'complete';")));
    return this;
  }

  /** The page's main heading. */
  String heading() {
    return text("h1");
  }

  /** Signs in on the sign-in page (the caller opened it or was sent to it). */
  Browser signIn(String username, String password) {
    assertThat(path()).startsWith("/sign-in");
    type("#username", username).type("#password", password).click("#sign-in");
    return this;
  }

  /** Forgets the session (a different person at the same machine). */
  Browser signOut() {
    driver.manage().deleteAllCookies();
    return this;
  }

  Object script(String js, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(js, args);
  }

  /**
   * Runs axe-core on the page shown and returns its serious and critical violations, each as
   * {@code rule: help (where)}; empty when there are none.
   */
  @SuppressWarnings("unchecked")
  List<String> seriousAccessibilityProblems() {
    String axe;
    try (InputStream in = Browser.class.getResourceAsStream(AXE)) {
      assertThat(in).as("axe-core on the test class path at " + AXE).isNotNull();
      axe = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    script(axe);
    Object result = ((JavascriptExecutor) driver).executeAsyncScript("""
        var done = arguments[arguments.length - 1];
        axe.run(document, {resultTypes: ['violations']}).then(function (r) {
          done(r.violations.filter(function (v) { return v.impact === 'serious' || v.impact === 'critical'; })
            .map(function (v) {
              return v.id + ': ' + v.help + ' (' + v.nodes.map(function (n) { return n.target.join(' '); })
                .join(', ') + ')';
            }));
        }, function (e) { done(['axe failed: ' + e]); });
        """);
    return (List<String>) result;
  }

  @Override
  public void close() throws IOException {
    try {
      driver.quit();
    } finally {
      try (Stream<Path> files = Files.walk(profile)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
