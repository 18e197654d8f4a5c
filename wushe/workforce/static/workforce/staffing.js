/* Staffing by street: required vs in post. Data from a json_script tag (no inline scripts
   under the CSP); ECharts from this server. Re-run after an htmx swap of the results. */
(function () {
  "use strict";

  function draw() {
    var source = document.getElementById("staffing-data");
    var el = document.getElementById("staffing-chart");
    if (!source || !el || typeof echarts === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    var chart = echarts.getInstanceByDom(el) || echarts.init(el, null, { renderer: "svg" });
    chart.setOption({
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 48, right: 16, top: 32, bottom: 72 },
      xAxis: { type: "category", data: data.streets, axisLabel: { rotate: 40 } },
      yAxis: { type: "value" },
      series: [
        { name: data.labels[0], type: "bar", data: data.required },
        { name: data.labels[1], type: "bar", data: data.actual }
      ]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  draw();
  document.body.addEventListener("htmx:afterSettle", draw);
})();
