package org.schoolgate.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The PromQL reader the dashboard check relies on finds names and nothing else. */
class PromQlTest {
  @Test
  void functionsAggregationsLabelsRangesAndVariablesAreNotMetricNames() {
    assertThat(PromQl.metricNames("sum by (group, action) (rate(schoolgate_requests_total{action=\"block\","
        + " group=~\"$group\"}[$__rate_interval]))")).containsExactly("schoolgate_requests_total");
    assertThat(PromQl.metricNames("histogram_quantile(0.99, sum(rate(schoolgate_decision_latency_seconds_bucket[5m]))"
        + " by (le)) * 1e3 offset 1h")).containsExactly("schoolgate_decision_latency_seconds_bucket");
    assertThat(PromQl.metricNames("a_total / on(job) group_left(instance) b_total > bool 0 or vector(0)"
        + " unless c{x='}'}")).containsExactly("a_total", "b_total", "c");
    assertThat(PromQl.metricNames("max_over_time(x[1h:5m]) + sum without (le) (y) - Inf"))
        .containsExactly("x", "y");
  }
}
