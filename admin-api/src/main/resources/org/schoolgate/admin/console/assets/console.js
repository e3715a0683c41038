// Schoolgate console: small enhancements only; every page works without this file.
(function () {
  'use strict';
  // Charts: a <div data-chart="id"> next to a <script type="application/json" id="id"> holding
  // {"title":..., "labels":[...], "series":[{"label":..., "values":[...]}]}; the table beside it
  // stays the accessible alternative.
  function drawCharts() {
    if (typeof uPlot === 'undefined') { return; }
    var colours = ['#1d70b8', '#d4351c', '#00703c', '#b58800', '#4c2c92'];
    document.querySelectorAll('[data-chart]').forEach(function (el) {
      var source = document.getElementById(el.getAttribute('data-chart'));
      if (!source) { return; }
      var d = JSON.parse(source.textContent);
      var data = [d.labels];
      var series = [{}];
      d.series.forEach(function (s, i) {
        data.push(s.values);
        series.push({label: s.label, stroke: colours[i % colours.length], width: 2});
      });
      var width = Math.max(300, Math.min(el.clientWidth || 640, 960));
      new uPlot({title: d.title, width: width, height: 260, series: series,
        axes: [{}, {size: 60}]}, data, el);
    });
  }
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', drawCharts);
  } else {
    drawCharts();
  }
})();
