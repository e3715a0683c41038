package org.schoolgate.policy.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The starter lists through the matcher: what each theme catches and what it must not. */
class ThemeMatcherTest {
  private static final ThemeMatcher STARTER = AlertPolicy.starterMatcher();

  @ParameterizedTest(name = "[{0}] → {1} ({2})")
  @CsvSource(delimiter = '|', value = {
      // self-harm
      "how to kill myself                 | self-harm | kill myself",
      "HOW TO KILL MYSELF                 | self-harm | kill myself",
      "k1ll mys3lf                        | self-harm | kill myself",
      "kill   --   myself                 | self-harm | kill myself",
      "killmyself                         | self-harm | kill myself",
      "i want to die                      | self-harm | want to die",
      "suicide                            | self-harm | suicide",
      "su1cide                            | self-harm | suicide",
      "$uicide methods                    | self-harm | suicide",
      "suiiiiicide                        | self-harm | suicide",
      "sucide                             | self-harm | suicide",
      "suicdie                            | self-harm | suicide",
      "suicides in the uk                 | self-harm | suicide",
      "Suïcide                            | self-harm | suicide",
      "self-harm scars                    | self-harm | self harm",
      "selfharm                           | self-harm | self harm",
      "cutting myself                     | self-harm | cutting myself",
      "i'm better off dead                | self-harm | better off dead",
      "how many pills to overdose         | self-harm | how many pills to overdose",
      // extremism
      "how to join isis                   | extremism | join isis",
      "1s1s recruitment video             | extremism | isis recruitment",
      "sieg heil                          | extremism | sieg heil",
      "the great replacement theory       | extremism | great replacement",
      "how to radicalize my friends       | extremism | how to radicalise",
      // grooming
      "should i send nudes                | grooming  | send nudes",
      "s3nd nud3s                         | grooming  | send nudes",
      "my older boyfriend                 | grooming  | older boyfriend",
      "sextorsion help                    | grooming  | sextortion",
      // bullying
      "everyone hates me at school        | bullying  | everyone hates me",
      "i am being bullied                 | bullying  | being bullied",
      "cyber-bullying                     | bullying  | cyber bullying",
      "kys                                | bullying  | kys",
      // drugs
      "where to buy weed                  | drugs     | buy weed",
      "cocaine                            | drugs     | cocaine",
      "c0caine price                      | drugs     | cocaine",
      "magic mushrooms uk                 | drugs     | magic mushrooms",
      "ecstacy pills                      | drugs     | ecstasy pills",
      // weapons
      "how to make a bomb at home         | weapons   | how to make a bomb",
      "zombie knife for sale              | weapons   | zombie knife",
      "3d printed gun files               | weapons   | 3d printed gun",
      "where to stab someone              | weapons   | where to stab someone",
  })
  void catchesTheThemesPhraseThroughSpellingTricks(String term, String theme, String phrase) {
    assertThat(STARTER.match(term)).extracting(m -> m.theme().configName(), ThemeMatch::phrase)
        .contains(org.assertj.core.groups.Tuple.tuple(theme, phrase));
  }

  @ParameterizedTest(name = "[{0}] matches nothing")
  @CsvSource(delimiter = '|', value = {
      "skill myself",
      "how to improve my skills",
      "killer whale facts",
      "kill bill film",
      "suicide squad cast",
      "the suicide squad 2021",
      "cocaine bear film",
      "how to make a bath bomb",
      "bath bombs",
      "bullet journal ideas",
      "weeding the garden",
      "the great british bake off",
      "assassin's creed valhalla",
      "call of duty guns",
      "kitchen knife sharpening",
      "isisomething",
      "texting my friends",
      "setting up a router",
      "shooting stars tonight",
      "heroine of the story",
      "overdone steak",
      "die hard",
      "5 ways to revise",
      "1000 words",
      "cutting board",
      "harm reduction policy",
      "diet plan",
      "gun dog training",
      "sugar free recipes",
      "bully breed dogs",
      "i love my friends",
      "nobody knows the answer",
      "adolf hitler biography",
      "white house address",
      "world war 2 history",
      "combat training 18 weeks",
      "send an email to my teacher",
      "my older brother",
      "meet the teacher evening",
      "crack the code puzzle",
      "spice girls songs",
      "ecstatic meaning",
      "knife crime statistics",
      "pipe organ music",
      "self portrait ideas",
      "live your best life",
      "high school musical",
  })
  void everydaySearchesMatchNoTheme(String term) {
    assertThat(STARTER.match(term)).isEmpty();
  }

  @Test
  void aTermMatchingSeveralThemesNamesEachOnceInThemeOrder() {
    assertThat(STARTER.match("kill myself or buy weed or buy weed again"))
        .extracting(ThemeMatch::theme).containsExactly(Theme.SELF_HARM, Theme.DRUGS);
  }

  @Test
  void exceptionsCancelOnlyMatchesInsideThem() {
    ThemeMatcher m = ThemeMatcher.compile(Map.of(Theme.SELF_HARM, List.of("suicide", "!suicide squad")));
    assertThat(m.match("suicide squad")).isEmpty();
    assertThat(m.match("suicide squad and suicide")).hasSize(1);
    assertThat(m.match("thinking about suicide")).hasSize(1);
  }

  @Test
  void oneSlipIsAllowedOnlyInLongWordsAndNotInTheFirstLetter() {
    ThemeMatcher m = ThemeMatcher.compile(Map.of(Theme.DRUGS, List.of("heroin", "ketamine")));
    assertThat(m.match("heroine")).isEmpty();
    assertThat(m.match("ketamin")).hasSize(1);
    assertThat(m.match("ketamines")).hasSize(1);
    assertThat(m.match("ketmaine")).hasSize(1);
    assertThat(m.match("betamine")).isEmpty();
    assertThat(m.match("ketanine")).hasSize(1);
    assertThat(m.match("ketaminnne")).hasSize(1); // repeated letters squash first
    assertThat(m.match("kettamiine")).hasSize(1);
  }

  @Test
  void everyStarterListHasEntries() {
    for (Theme t : Theme.values()) {
      assertThat(STARTER.entryCount(t)).as(t.configName()).isGreaterThanOrEqualTo(15);
    }
  }

  @Test
  void nullOrEmptyTextMatchesNothing() {
    assertThat(STARTER.match(null)).isEmpty();
    assertThat(STARTER.match("   ")).isEmpty();
  }
}
