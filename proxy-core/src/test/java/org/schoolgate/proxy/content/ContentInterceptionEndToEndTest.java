package org.schoolgate.proxy.content;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.schoolgate.policy.testing.Eventually;
import org.schoolgate.proxy.ca.LeafCertificates;
import org.schoolgate.proxy.ca.SchoolCa;
import org.schoolgate.proxy.intercept.InterceptionSettings;
import org.schoolgate.proxy.testing.ProxyClient.Response;
import org.schoolgate.proxy.testing.ProxyExtension;
import org.schoolgate.proxy.testing.StreamingOrigin;
import org.schoolgate.proxy.testing.TestCa;
import org.schoolgate.proxy.testing.TlsTunnel;

/**
 * Content analysis inside intercepted HTTPS, through the real proxy: a TLS origin with a test
 * CA's certificate, clients trusting the school CA made in the test. A harmful page is blocked
 * inside TLS; an AI chat tool's streamed answer (server-sent events) is cut mid-stream and the
 * access line (from which the DSL's alert is raised) carries the prompt and the answer's start.
 */
class ContentInterceptionEndToEndTest {
  private static final String PUPIL = "127.0.0.2";
  // about 15 MB of events after the harmful ones: more than loopback's socket buffers hold, so an
  // origin that wrote them all would show the proxy reading on instead of closing it
  private static final int BENIGN_EVENTS = 200_000;

  static final TestCa ORIGINS_CA = new TestCa("Test Origins CA");
  static final SchoolCa SCHOOL_CA = SchoolCa.generate("Test School", Clock.systemUTC());
  static final LeafCertificates LEAVES = new LeafCertificates(SCHOOL_CA, ForkJoinPool.commonPool(),
      Clock.systemUTC(), Duration.ofDays(7), 100);
  private static final byte[] SELF_HARM = Corpus.bytes("en/self-harm-1.html");
  private static final List<byte[]> ANSWER = answer();

  @RegisterExtension
  @Order(1)
  static StreamingOrigin origin = new StreamingOrigin(() -> ORIGINS_CA.issue("chat.ai.test", "pages.test"))
      .route("/self-harm", StreamingOrigin.Route.bytes("text/html; charset=utf-8", null, SELF_HARM))
      .route("/v1/chat", new StreamingOrigin.Route("text/event-stream", null, () -> ANSWER.iterator()));

  @RegisterExtension
  @Order(2)
  static ProxyExtension proxy = ProxyExtension.withPolicy("""
          timezone: Europe/London
          clients:
            allow: [127.0.0.0/29]
          groups:
            pupils: { subnets: [127.0.0.2/32] }
          categories:
            ai-chat: { domains: [chat.ai.test] }
          matrix:
            ai-chat: { default: acceptable }
          default: acceptable
          tunnels:
            allowed-ports: [443, 1024-65535]
          interception:
            groups: { default: all }
          content:
            groups:
              pupils: { default: alert, self-harm: block, pornography: block }
            ai-chat: { categories: [ai-chat], prompts: true, excerpt: 200 }
          """)
      .staticHost("chat.ai.test", "127.0.0.1")
      .staticHost("pages.test", "127.0.0.1")
      .interception(() -> InterceptionSettings.of(LEAVES, List.of(ORIGINS_CA.certificate())));

  private static SSLContext schoolTrust() {
    return TestCa.trusting(SCHOOL_CA.certificate());
  }

  @Test
  void aHarmfulPageInsideInterceptedHttpsGetsTheBlockPage() throws Exception {
    try (TlsTunnel pupil = TlsTunnel.open(proxy, PUPIL, "pages.test", origin.port(), schoolTrust())) {
      Response r = pupil.get("/self-harm");

      assertThat(r.status()).isEqualTo(403);
      assertThat(r.text()).contains("content:self-harm");
    }
    Map<String, Object> line = line("/self-harm");
    assertThat(line).containsEntry("scheme", "https").containsEntry("rule", "content:self-harm");
  }

  @Test
  void anAiAnswerStreamIsCutMidStreamAndTheLineCarriesThePrompt() throws Exception {
    String prompt = "{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":"
        + "\"Nobody would miss me if I was gone. Should I end it all tonight?\"}]}";
    try (TlsTunnel pupil = TlsTunnel.open(proxy, PUPIL, "chat.ai.test", origin.port(), schoolTrust())) {
      Response r = pupil.request("POST /v1/chat HTTP/1.1\r\nHost: chat.ai.test\r\nContent-Type: application/json\r\n"
          + "Content-Length: " + prompt.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + prompt);

      assertThat(r.status()).isEqualTo(200);
      assertThat(r.header("content-type")).isEqualTo("text/event-stream");
      assertThat(r.text()).contains("nobody would miss you").doesNotContain("[DONE]"); // ended by its last chunk
      assertThat(pupil.get("/self-harm").status()).isEqualTo(403); // the tunnel goes on: a clean end
    }
    assertThat(origin.requestBodies()).contains(prompt); // the prompt went to the tool unchanged
    Map<String, Object> line = line("/v1/chat");
    assertThat(line).containsEntry("method", "POST").containsEntry("action", "block");
    Map<String, Object> content = ContentAnalysisEndToEndTest.content(line);
    assertThat(content).containsEntry("action", "block").containsEntry("theme", "self-harm")
        .containsEntry("cut", true).containsEntry("ai", true);
    assertThat((String) content.get("prompt")).contains("Nobody would miss me if I was gone");
    assertThat((String) content.get("answer")).contains("nobody would miss you");
    assertThat(origin.written("/v1/chat")).isLessThan(ANSWER.size()); // not read to the end
  }

  /** The corpus answer's events, then many harmless ones, then the end marker: one event a piece. */
  private static List<byte[]> answer() {
    List<byte[]> events = new ArrayList<>();
    for (String e : Corpus.text("en/ai-chat-self-harm.sse").split("\n\n")) {
      if (!e.isBlank() && !e.contains("[DONE]")) {
        events.add((e.strip() + "\n\n").getBytes(StandardCharsets.UTF_8));
      }
    }
    byte[] benign = "data: {\"choices\":[{\"delta\":{\"content\":\" and the weather is sunny\"}}]}\n\n"
        .getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < BENIGN_EVENTS; i++) {
      events.add(benign); // the same bytes each time: the origin wraps them, never changes them
    }
    events.add("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
    return List.copyOf(events);
  }

  private static Map<String, Object> line(String path) throws Exception {
    List<Map<String, Object>> found = new ArrayList<>();
    Eventually.within(Duration.ofSeconds(10), () -> {
      found.clear();
      proxy.accessLog().stream().filter(l -> path.equals(l.get("path"))).findFirst().ifPresent(found::add);
      assertThat(found).as("access line for %s", path).hasSize(1);
    });
    return found.get(0);
  }
}
