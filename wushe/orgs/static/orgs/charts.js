/* Capacity charts of the organisations pages. Data come from json_script tags (the CSP
   forbids inline scripts); ECharts is served from this server (vendor/echarts). */
(function () {
  "use strict";

  function data(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }

  function mount(id) {
    var el = document.getElementById(id);
    if (!el || typeof echarts === "undefined") { return null; }
    var chart = echarts.init(el, null, { renderer: "svg" });
    window.addEventListener("resize", function () { chart.resize(); });
    return chart;
  }

  // One organisation: each area's score at each assessment, and the average.
  var history = data("capacity-data");
  var line = history && mount("capacity-chart");
  if (line) {
    var series = history.series.map(function (s) {
      return { name: s.name, type: "line", data: s.data, symbolSize: 6 };
    });
    series.push({ name: history.average_label, type: "line", data: history.average,
                  lineStyle: { width: 4 }, symbolSize: 9 });
    line.setOption({
      tooltip: { trigger: "axis" },
      legend: { type: "scroll", bottom: 0 },
      grid: { left: 40, right: 16, top: 16, bottom: 56 },
      xAxis: { type: "category", data: history.dates },
      yAxis: { type: "value", min: 0, max: 100 },
      series: series
    });
  }

  // Across a street: the average of each area, weakest first.
  var areas = data("capacity-bars-data");
  var bars = areas && mount("capacity-bars");
  if (bars) {
    bars.setOption({
      tooltip: { trigger: "axis" },
      grid: { left: 180, right: 24, top: 16, bottom: 24 },
      xAxis: { type: "value", min: 0, max: 100 },
      yAxis: { type: "category", data: areas.labels, inverse: true },
      series: [{ name: areas.name, type: "bar", data: areas.values,
                 label: { show: true, position: "right" } }]
    });
  }
})();
