package org.schoolgate.policy.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.schoolgate.policy.CategoryId;
import org.schoolgate.policy.CategorySet;
import org.schoolgate.policy.GroupId;
import org.schoolgate.policy.PolicyException;
import org.schoolgate.policy.PolicySnapshot;
import org.schoolgate.policy.TestPolicies;
import org.schoolgate.policy.compile.PolicyCompiler;

/** The policy's content: section: reading, errors with file:line:field, the compiled rules, the sample. */
class ContentSectionTest {
  @TempDir Path dir;

  private static final String BASE = """
      groups:
        ks2: { subnets: [10.10.0.0/16] }
        staff: { subnets: [10.30.0.0/16] }
        guests: { subnets: [10.99.0.0/16] }
      categories:
        ai-chat: { domains: [chatgpt.com] }
      matrix:
        ai-chat: { default: acceptable }
      """;

  private List<String> errors(String yaml) {
    Path file = TestPolicies.write(dir, yaml);
    PolicyException e = catchThrowableOfType(PolicyException.class, () -> PolicyCompiler.compile(file, TestPolicies.CLOCK));
    assertThat(e).as("expected the policy to be rejected").isNotNull();
    return e.errors().stream().map(err -> err.file().getFileName() + ":" + err.line() + ": " + err.field() + ": "
        + err.message()).toList();
  }

  @Test
  void groupsThemesAndKnobsAreCompiledIntoTheSnapshot() throws Exception {
    Files.writeString(dir.resolve("extra.txt"), "# our own\nvape shop near school = 60\nsuicide = 40\n");
    PolicySnapshot p = TestPolicies.compile(dir, BASE + """
        content:
          look-ahead: 128KiB
          scan-limit: 4MiB
          top-phrases: 3
          themes:
            drugs: { threshold: 50, lists: [extra.txt] }
            self-harm: { lists: [extra.txt] }
          groups:
            ks2: { default: alert, self-harm: block, drugs: { action: block, threshold: 120 } }
            staff: log
            default: off
          ai-chat: { categories: [ai-chat], prompts: false, excerpt: 200 }
        """);
    ContentPolicy c = p.contentPolicy();
    assertThat(c.lookAheadBytes()).isEqualTo(128 * 1024);
    assertThat(c.scanLimitBytes()).isEqualTo(4 * 1024 * 1024);
    assertThat(c.topPhrases()).isEqualTo(3);
    assertThat(c.aiPrompts()).isFalse();
    assertThat(c.excerptChars()).isEqualTo(200);
    assertThat(c.isAiChat(new CategorySet(List.of(new CategoryId("ai-chat"))))).isTrue();
    assertThat(c.isAiChat(CategorySet.EMPTY)).isFalse();
    ContentRules ks2 = p.contentRules(new GroupId("ks2"));
    assertThat(ks2.enabled()).isTrue();
    assertThat(ks2.blocks()).isTrue();
    assertThat(ks2.action(ContentTheme.SELF_HARM)).isEqualTo(ContentAction.BLOCK);
    assertThat(ks2.action(ContentTheme.EXTREMISM)).isEqualTo(ContentAction.ALERT);
    assertThat(ks2.threshold(ContentTheme.DRUGS)).as("the group's threshold wins").isEqualTo(120);
    assertThat(p.contentRules(new GroupId("staff")).action(ContentTheme.DRUGS)).isEqualTo(ContentAction.LOG);
    assertThat(p.contentRules(new GroupId("staff")).threshold(ContentTheme.DRUGS)).isEqualTo(50);
    assertThat(p.contentRules(new GroupId("staff")).blocks()).isFalse();
    assertThat(p.contentRules(new GroupId("guests")).enabled()).isFalse();
    assertThat(p.contentRules(new GroupId("nobody"))).isSameAs(ContentRules.OFF);

    ContentScan staff = p.contentRules(new GroupId("staff")).newScan(TextFormat.PLAIN);
    staff.feed("New VAPE shop near school!");
    staff.end();
    assertThat(staff.score(ContentTheme.DRUGS)).as("the school's own list").isEqualTo(60);
    assertThat(staff.verdict()).isInstanceOf(ContentVerdict.Log.class);
    ContentScan again = p.contentRules(new GroupId("staff")).newScan(TextFormat.PLAIN);
    again.feed("suicide");
    again.end();
    assertThat(again.score(ContentTheme.SELF_HARM)).as("a school entry re-weighs a starter phrase").isEqualTo(40);
  }

  @Test
  void withoutTheSectionNothingIsAnalysed() {
    PolicySnapshot p = TestPolicies.compile(dir, BASE);
    assertThat(p.contentPolicy()).isSameAs(ContentPolicy.OFF);
    assertThat(p.contentRules(new GroupId("ks2")).enabled()).isFalse();
  }

  @Test
  void mistakesAreReportedWithFileLineAndField() throws Exception {
    Files.writeString(dir.resolve("bad.txt"), "fine phrase = 10\nno weight\n");
    assertThat(errors(BASE + """
        content:
          look-ahead: 12 parsecs
          top-phrases: 50
          languages: [en, fr]
          themes:
            self-harms: { threshold: 10 }
            drugs: { threshold: -1, lists: [missing.txt] }
          groups:
            ks3: alert
            ks2: { default: warn, drugs: { threshold: 10 }, pornography: { action: block, colour: red } }
          ai-chat: { categories: [ai-chatt] }
          colour: red
        """)).containsExactly(
        "policy.yaml:10: content.look-ahead: is '12 parsecs' (expected: a size from 1KiB to 16GiB, such as 256KiB or 32MiB)",
        "policy.yaml:11: content.top-phrases: is '50' (expected: a whole number from 1 to 20)",
        "policy.yaml:12: content.languages[1]: no starter lists for language 'fr' (expected some of: en, pl, ro, ur, ar;"
            + " add your own lists under content.themes)",
        "policy.yaml:14: content.themes.self-harms: unknown key 'self-harms', did you mean 'self-harm'? (expected one of:"
            + " self-harm, extremism, grooming, bullying, drugs, weapons, pornography, hate-speech, misinformation)",
        "policy.yaml:15: content.themes.drugs.threshold: is '-1' (expected: a whole number from 1 to 100000)",
        "policy.yaml:15: content.themes.drugs.lists[0]: file " + dir.resolve("missing.txt")
            + " does not exist (expected: a UTF-8 phrase list, one 'phrase = weight' per line)",
        "policy.yaml:17: content.groups.ks3: unknown group 'ks3', did you mean 'ks2'? (expected one of the names under"
            + " 'groups', or 'default')",
        "policy.yaml:18: content.groups.ks2.default: unknown action 'warn' (expected: off, log, alert or block)",
        "policy.yaml:18: content.groups.ks2.drugs: has no 'action' (expected: action: ...)",
        "policy.yaml:18: content.groups.ks2.pornography.colour: unknown key 'colour' (expected one of: action, threshold)",
        "policy.yaml:19: content.ai-chat.categories[0]: unknown category 'ai-chatt', did you mean 'ai-chat'? (expected"
            + " one of the names under 'categories', e.g. ai-chat)",
        "policy.yaml:20: content.colour: unknown key 'colour' (expected one of: look-ahead, scan-limit, top-phrases,"
            + " languages, themes, groups, ai-chat)");
    assertThat(errors(BASE + """
        content:
          themes:
            drugs: { lists: [bad.txt] }
        """)).containsExactly("bad.txt:2: content.themes.drugs.lists: 'no weight' has no weight (expected: phrase = weight,"
        + " e.g. kill myself = 60; a negative weight for context phrases, !phrase for an exception)");
    assertThat(errors(BASE + """
        content:
          look-ahead: 1MiB
          scan-limit: 512KiB
        """)).containsExactly("policy.yaml:11: content.scan-limit: is below look-ahead (1048576 bytes) (expected: at least"
        + " the look-ahead, e.g. 32MiB)");
  }

  @Test
  void theSampleAnalysesPupilsBlocksPornographyAndSelfHarmAndLogsStaff() {
    PolicySnapshot sample = TestPolicies.sample(dir);
    for (String pupils : List.of("ks2", "ks3-4")) {
      ContentRules r = sample.contentRules(new GroupId(pupils));
      assertThat(r.action(ContentTheme.PORNOGRAPHY)).isEqualTo(ContentAction.BLOCK);
      assertThat(r.action(ContentTheme.SELF_HARM)).isEqualTo(ContentAction.BLOCK);
      for (ContentTheme t : List.of(ContentTheme.EXTREMISM, ContentTheme.GROOMING, ContentTheme.BULLYING,
          ContentTheme.DRUGS, ContentTheme.WEAPONS, ContentTheme.HATE_SPEECH, ContentTheme.MISINFORMATION)) {
        assertThat(r.action(t)).as("%s for %s", t, pupils).isEqualTo(ContentAction.ALERT);
      }
    }
    ContentRules staff = sample.contentRules(new GroupId("staff"));
    for (ContentTheme t : ContentTheme.values()) {
      assertThat(staff.action(t)).isEqualTo(ContentAction.LOG);
    }
    assertThat(sample.contentRules(new GroupId("guests")).enabled()).isFalse();
    assertThat(sample.contentPolicy().lookAheadBytes()).isEqualTo(256 * 1024);
    assertThat(sample.contentPolicy().aiCategories()).containsExactly(new CategoryId("ai-chat"));
    assertThat(sample.categoriesOf("chatgpt.com", "/").contains(new CategoryId("ai-chat"))).isTrue();
    assertThat(sample.categoriesOf("claude.ai", "/").contains(new CategoryId("ai-chat"))).isTrue();
    // a host-and-path entry lives in the starter's urls file (a domains file refuses it)
    assertThat(sample.categoriesOf("huggingface.co", "/chat/conversation/1").contains(new CategoryId("ai-chat")))
        .isTrue();
    assertThat(sample.categoriesOf("huggingface.co", "/models").contains(new CategoryId("ai-chat"))).isFalse();
  }
}
