package org.schoolgate.reports.people;

import java.time.Instant;
import java.util.List;

/**
 * A person's activity in a window, a page a line.
 *
 * @param person whose
 * @param from the window's start
 * @param to the window's end (exclusive)
 * @param focus the moment the window is centred on (an alert), or null
 * @param requests how many log lines the window holds (pages, furniture, DNS lookups)
 * @param pages how many lines are pages
 * @param truncated true when the window held more than {@value PersonTimeline#MAX_EVENTS} lines
 *     and only the first were read (choose a shorter window)
 * @param lines oldest first
 */
public record Timeline(Person person, Instant from, Instant to, Instant focus, int requests, int pages,
    boolean truncated, List<Line> lines) {

  /**
   * One page load (or, with no page to hang it on, a run of background requests to one site).
   *
   * @param kind {@code page} or {@code background}
   * @param url what was asked for, as people read it
   * @param category the category that decided it (or the rule, for blocks no category decided)
   * @param search the search term, with the themes it matches, or null
   * @param furniture the furniture folded under it, oldest first, at most {@value PersonTimeline#MAX_FURNITURE_LISTED}
   * @param furnitureCount how many furniture requests were folded in all
   * @param furnitureBlocked how many of them were blocked
   */
  public record Line(Instant time, String kind, String client, String group, String url, String host,
      String action, String category, List<String> categories, String rule, Integer status, Search search,
      List<Item> furniture, int furnitureCount, int furnitureBlocked) {}

  /** One folded request and why it counts as furniture. */
  public record Item(Instant time, String url, String action, String why) {}

  /** A search term and where the safeguarding themes matched it. */
  public record Search(String term, List<Highlight> highlights) {}

  /**
   * A theme matched in a search term: {@code term.substring(start, end)} is the phrase (the whole
   * term when the theme matched a spelling of it that is not in the text as such).
   */
  public record Highlight(String theme, String severity, String phrase, int start, int end) {}
}
