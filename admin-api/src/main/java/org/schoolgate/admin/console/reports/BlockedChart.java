package org.schoolgate.admin.console.reports;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.schoolgate.reports.Count;
import org.schoolgate.reports.Viewer;
import org.schoolgate.reports.traffic.TrafficReports;

/**
 * Blocked requests over time as one chart line per category (the {@value #LINES} largest, the
 * rest as "other"), summed over groups, and the same numbers as a table for people who do not
 * see the chart. A sum from 1 to 4 is suppressed for viewers who see aggregates only, as the
 * report's own counts are: a gap in the line and "fewer than 5" in the table.
 *
 * @param json the chart's data for {@code console.js}: x as epoch seconds, one series per line
 * @param columns the table's column headings (the lines' labels)
 * @param rows one per bucket
 */
public record BlockedChart(String json, List<String> columns, List<Row> rows) {
  static final int LINES = 5;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("EEE d MMM, HH:mm", Locale.UK);
  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("EEE d MMM yyyy", Locale.UK);

  /** One bucket: its label and a count per column. */
  public record Row(String label, List<String> counts) {}

  static BlockedChart of(TrafficReports.BlockedOverTime report, Viewer viewer) {
    List<String> columns = new ArrayList<>();
    for (TrafficReports.Total t : report.byCategory()) {
      if (columns.size() == LINES) {
        columns.add("other");
        break;
      }
      columns.add(t.label());
    }
    int buckets = report.buckets().size();
    Map<String, long[]> sums = new LinkedHashMap<>();
    for (String c : columns) {
      sums.put(c, new long[buckets]);
    }
    for (TrafficReports.Series s : report.series()) {
      long[] into = sums.getOrDefault(s.category(), sums.get("other"));
      if (into == null) {
        continue;
      }
      for (int i = 0; i < buckets && i < s.counts().size(); i++) {
        into[i] += s.counts().get(i).value();
      }
    }
    ObjectNode chart = JSON.createObjectNode();
    chart.put("title", "Blocked requests by category");
    ArrayNode labels = chart.putArray("labels");
    ArrayNode series = chart.putArray("series");
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < buckets; i++) {
      ZonedDateTime at = report.buckets().get(i);
      labels.add(at.toEpochSecond());
      List<String> counts = new ArrayList<>();
      for (long[] v : sums.values()) {
        counts.add(Count.of(v[i], viewer).toString());
      }
      rows.add(new Row(("hour".equals(report.bucket()) ? HOUR : DAY).format(at)
          + ("week".equals(report.bucket()) ? " (week)" : ""), counts));
    }
    for (Map.Entry<String, long[]> e : sums.entrySet()) {
      ObjectNode line = series.addObject();
      line.put("label", e.getKey());
      ArrayNode values = line.putArray("values");
      for (long v : e.getValue()) {
        if (Count.of(v, viewer).suppressed()) {
          values.addNull();
        } else {
          values.add(v);
        }
      }
    }
    return new BlockedChart(chart.toString(), columns, rows);
  }
}
