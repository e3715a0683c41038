package org.schoolgate.policy.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.schoolgate.policy.Allocations;

class SearchTermsTest {
  private final SearchTerms terms = new SearchTerms(List.of(
      new SearchEngine("search.example.org", "q", "/find"),
      new SearchEngine("kids.example.net", "term", null)));

  @ParameterizedTest(name = "{0}{1}?{2} → [{3}]")
  @CsvSource(delimiter = '|', nullValues = "NULL", value = {
      "www.google.com      | /search              | q=how+to+kill+myself               | how to kill myself",
      "google.com          | /search              | hl=en&q=cats&safe=active           | cats",
      "www.google.co.uk    | /search              | q=caf%C3%A9+menu                   | café menu",
      "google.de           | /search              | q=%20%20spaced%20%20%20out%20      | spaced out",
      "www.google.com      | /webhp               | q=cats                             | NULL",
      "www.google.example  | /search              | q=cats                             | NULL",
      "mail.google.com     | /search              | q=cats                             | NULL",
      "www.bing.com        | /search              | q=Bing+Term&form=QBLH              | Bing Term",
      "bing.com            | /images              | q=cats                             | NULL",
      "duckduckgo.com      | /                    | q=duck+term&ia=web                 | duck term",
      "html.duckduckgo.com | /html                | q=html+duck                        | html duck",
      "html.duckduckgo.com | /html/               | q=html+duck                        | html duck",
      "duckduckgo.com      | /about               | q=cats                             | NULL",
      "search.yahoo.com    | /search              | p=yahoo+term&fr=yfp                | yahoo term",
      "uk.search.yahoo.com | /search              | p=yahoo+uk                         | yahoo uk",
      "search.yahoo.com    | /search              | q=not+the+parameter                | NULL",
      "www.youtube.com     | /results             | search_query=video+term            | video term",
      "m.youtube.com       | /results             | search_query=mobile%2Bplus         | mobile+plus",
      "www.youtube.com     | /watch               | v=abc&search_query=x               | NULL",
      "en.wikipedia.org    | /w/index.php         | search=Wiki+term&title=Special     | Wiki term",
      "en.wikipedia.org    | /wiki/Special:Search | search=Other+term                  | Other term",
      "de.wikipedia.org    | /wiki/Special:Search/Some_thing%20here | NULL             | Some thing here",
      "en.wikipedia.org    | /wiki/Cat            | search=x                           | NULL",
      "search.example.org  | /find/all            | q=school+engine                    | school engine",
      "search.example.org  | /other               | q=school+engine                    | NULL",
      "kids.example.net    | /anything            | a=1&term=any+path                  | any path",
      "www.google.com      | /search              | q=                                 | NULL",
      "www.google.com      | /search              | q=+++&q=second                     | second",
      "www.google.com      | /search              | q=100%25+sure                      | 100% sure",
      "www.google.com      | /search              | q=bad%ZZescape                     | bad%ZZescape",
      "www.google.com      | /search              | q=latin%E9only                     | latin%E9only",
      "www.google.com      | /search              | qq=x&aq=y                          | NULL",
      "www.google.com      | /search              | NULL                               | NULL",
      "www.example.com     | /search              | q=cats                             | NULL",
  })
  void extractsTheDecodedTermFromKnownSearchSites(String host, String path, String query, String expected) {
    assertThat(terms.extract(host, path, query)).isEqualTo(expected);
  }

  @Test
  void aTermIsCutTo500Characters() {
    String term = terms.extract("www.google.com", "/search", "q=" + "a".repeat(400) + "+" + "b".repeat(400));
    assertThat(term).hasSize(SearchTerms.MAX_LENGTH).startsWith("aaa").endsWith("bbb");
  }

  @Test
  void nonSearchHostsAllocateNothing() {
    List<String> hosts = List.of("www.example.com", "cdn.jsdelivr.net", "www.bbc.co.uk", "google.example.com",
        "docs.google.com", "en.wikipedia.org.evil");
    long bytes = Allocations.bytesAllocated(20_000, 200_000, i -> {
      String term = terms.extract(hosts.get(i % hosts.size()), "/search", "q=cats");
      return term == null ? 1 : term.length();
    });
    assertThat(bytes).isLessThan(1024);
  }
}
