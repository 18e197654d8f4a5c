/* The cockpit's charts: one generic renderer over the JSON the server embeds (json_script,
   so no inline script under the CSP). Each chart = {id, title, kind, categories, series}.
   Canvas renderer; dark theme on the big screen. */
(function () {
  "use strict";

  var source = document.getElementById("cockpit-data");
  if (!source || typeof echarts === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var dark = document.body.classList.contains("reports-screen");
  var text = dark ? "#d8e4ff" : "#333";

  function axisSeries(chart, type) {
    return chart.series.map(function (s) {
      return { name: s.name, type: type, data: s.data, connectNulls: true, smooth: type === "line",
               barMaxWidth: 36 };
    });
  }

  function option(chart) {
    var base = { backgroundColor: "transparent", textStyle: { color: text },
                 tooltip: { trigger: chart.kind === "pie" ? "item" : "axis" } };
    if (chart.kind === "pie") {
      base.legend = { type: "scroll", bottom: 0, textStyle: { color: text } };
      base.series = [{ name: chart.title, type: "pie", radius: ["35%", "65%"],
                       center: ["50%", "45%"], data: chart.series[0].data,
                       label: { color: text, formatter: "{b}: {c}" } }];
      return base;
    }
    if (chart.kind === "gauge") {
      base.series = [{ type: "gauge", min: 0, max: 100, progress: { show: true },
                       detail: { formatter: "{value}%", color: text, fontSize: 24 },
                       axisLabel: { color: text },
                       data: [{ name: chart.series[0].name, value: chart.series[0].data[0] }],
                       title: { color: text } }];
      return base;
    }
    var horizontal = chart.kind === "hbar";
    var category = { type: "category", data: chart.categories,
                     axisLabel: { color: text, interval: 0, rotate: horizontal ? 0 : 30 } };
    var value = { type: "value", axisLabel: { color: text },
                  splitLine: { lineStyle: { color: dark ? "#1f3a66" : "#e5e5e5" } } };
    base.legend = { top: 0, textStyle: { color: text } };
    base.grid = { left: horizontal ? 110 : 50, right: 16, top: 30, bottom: horizontal ? 24 : 60 };
    base.xAxis = horizontal ? value : category;
    base.yAxis = horizontal ? category : value;
    base.series = axisSeries(chart, chart.kind === "line" ? "line" : "bar");
    return base;
  }

  var instances = [];
  data.charts.forEach(function (chart) {
    var el = document.querySelector('[data-chart="' + chart.id + '"]');
    if (!el) { return; }
    var instance = echarts.getInstanceByDom(el) ||
      echarts.init(el, dark ? "dark" : null, { renderer: "canvas" });
    instance.setOption(option(chart));
    instances.push(instance);
  });
  window.addEventListener("resize", function () {
    instances.forEach(function (i) { i.resize(); });
  });
})();
