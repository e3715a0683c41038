// Schoolgate console: small enhancements only; every page works without this file.
(function () {
  'use strict';
  // Charts: a <div data-chart="..."> whose attribute holds {"title":..., "labels":[epoch seconds],
  // "series":[{"label":..., "values":[...]}]}, or the id of a <script type="application/json">
  // holding it; the table beside it stays the accessible alternative.
  function drawCharts() {
    if (typeof uPlot === 'undefined') { return; }
    var colours = ['#1d70b8', '#d4351c', '#00703c', '#b58800', '#4c2c92'];
    document.querySelectorAll('[data-chart]').forEach(function (el) {
      var ref = el.getAttribute('data-chart');
      var source = ref.charAt(0) === '{' ? null : document.getElementById(ref);
      if (ref.charAt(0) !== '{' && !source) { return; }
      var d = JSON.parse(source ? source.textContent : ref);
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
  // A page that is still working (a dry run) reloads itself every two seconds while it shows
  // <div data-refresh>; without JavaScript its "Refresh" link does the same.
  function refreshWhileWorking() {
    if (document.querySelector('[data-refresh]')) {
      window.setTimeout(function () { window.location.reload(); }, 2000);
    }
  }
  // Print buttons: <button data-print> opens the browser's print dialogue.
  function printButtons() {
    document.querySelectorAll('[data-print]').forEach(function (b) {
      b.hidden = false;
      b.addEventListener('click', function () { window.print(); });
    });
  }
  function start() {
    drawCharts();
    refreshWhileWorking();
    printButtons();
  }
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
