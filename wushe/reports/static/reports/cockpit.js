/* The cockpit's charts: one generic renderer over the JSON the server embeds (json_script,
   so no inline script under the CSP). Each chart = {id, title, kind, categories, series,
   empty}: `empty` is the server's (translated) reason when there is nothing to draw, shown
   centred in the chart instead of an empty ring or a 0.0 axis.
   Canvas renderer; dark theme on the big screen (1920×1080: no two labels may overlap, and
   none may be cut at the chart's edge — see tests/test_browser_cockpit.py). */
(function () {
  "use strict";

  var source = document.getElementById("cockpit-data");
  if (!source || typeof echarts === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var dark = document.body.classList.contains("reports-screen");
  var text = dark ? "#d8e4ff" : "#333";
  var font = dark ? 13 : 12;

  function grouped(value) {
    // Figures grouped by three with a comma, as on the pages (ECharts' value axis and tooltip
    // group by themselves; a label template's {c} does not).
    return typeof value === "number" ? value.toLocaleString("en-US", { maximumFractionDigits: 2 })
      : String(value);
  }

  function axisSeries(chart, type) {
    return chart.series.map(function (s) {
      return { name: s.name, type: type, data: s.data, connectNulls: true, smooth: type === "line",
               barMaxWidth: 36 };
    });
  }

  function emptyOption(chart, width) {
    // The reason, wrapped to the chart's width, in the middle of the chart.
    return { backgroundColor: "transparent",
             title: { text: chart.empty, left: "center", top: "middle",
                      textStyle: { color: dark ? "#8ea3c8" : "#6c757d", fontSize: 14,
                                   fontWeight: "normal", width: Math.max(width - 32, 80),
                                   overflow: "break", lineHeight: 20, align: "center" } } };
  }

  function pieOption(chart, base, width) {
    // No legend (a scrolling one hides names): each slice's label names it and gives its
    // value, wrapped to a fifth of the chart; ECharts moves labels apart and hides any that
    // would still touch (the tooltip names every slice).
    base.series = [{ name: chart.title, type: "pie", radius: ["32%", "58%"],
                     center: ["50%", "50%"], data: chart.series[0].data,
                     avoidLabelOverlap: true, minShowLabelAngle: 3,
                     label: { color: text, fontSize: font,
                              formatter: function (p) { return p.name + "\n" + grouped(p.value); },
                              overflow: "break", width: Math.max(Math.floor(width * 0.24), 48),
                              lineHeight: font + 3 },
                     labelLine: { length: 6, length2: 6 },
                     labelLayout: { hideOverlap: true } }];
    return base;
  }

  function gaugeOption(chart, base) {
    // A ring with the value in its centre: the panel's heading names the rate, so no title
    // and no pointer inside the dial to collide with the scale.
    base.series = [{ type: "gauge", min: 0, max: 100, radius: "88%", center: ["50%", "56%"],
                     startAngle: 215, endAngle: -35, splitNumber: 2,
                     progress: { show: true, width: 12 }, axisLine: { lineStyle: { width: 12 } },
                     axisTick: { show: false }, splitLine: { length: 6, distance: 2 },
                     axisLabel: { color: text, fontSize: font - 1, distance: 16 },
                     pointer: { show: false }, anchor: { show: false }, title: { show: false },
                     detail: { formatter: "{value}%", color: text, fontSize: dark ? 28 : 26,
                               offsetCenter: [0, "0%"], valueAnimation: false },
                     data: [{ name: chart.series[0].name, value: chart.series[0].data[0] }] }];
    return base;
  }

  function categoryLabel(chart, horizontal, width) {
    // Category names are laid out by ECharts: turned when they do not fit side by side, and
    // any that would still touch are hidden (the tooltip names every bar).
    if (horizontal) {
      return { color: text, fontSize: font, hideOverlap: true, width: Math.max(width * 0.3, 60),
               overflow: "truncate" };
    }
    var n = Math.max(chart.categories.length, 1);
    var longest = chart.categories.reduce(function (m, c) { return Math.max(m, String(c).length); }, 1);
    var slot = (width - 60) / n;
    var rotate = longest * font * 1.05 <= slot ? 0 : (slot >= font * 2.2 ? 45 : 90);
    return { color: text, fontSize: font, interval: "auto", rotate: rotate, hideOverlap: true,
             margin: 6 };
  }

  function leftRoom(chart, axis) {
    // A label turned 45° reaches left of its tick by ~0.7 of its length: room for the first.
    if (axis.axisLabel.rotate !== 45) { return 8; }
    var first = String(chart.categories[0] || "").length * font * 0.72;
    return Math.max(8, Math.ceil(first - 24));
  }

  function option(chart, width) {
    if (chart.empty) { return emptyOption(chart, width); }
    var base = { backgroundColor: "transparent", textStyle: { color: text },
                 tooltip: { trigger: chart.kind === "pie" ? "item" : "axis" } };
    if (chart.kind === "pie") { return pieOption(chart, base, width); }
    if (chart.kind === "gauge") { return gaugeOption(chart, base); }
    var horizontal = chart.kind === "hbar";
    var category = { type: "category", data: chart.categories,
                     axisLabel: categoryLabel(chart, horizontal, width) };
    var value = { type: "value", axisLabel: { color: text, fontSize: font, hideOverlap: true },
                  splitLine: { lineStyle: { color: dark ? "#1f3a66" : "#e5e5e5" } } };
    var many = chart.series.length > 1;
    var legendLines = 0;
    if (many) {  // a plain legend wraps: the grid starts below its last line
      var row = chart.series.reduce(function (w, s) {
        return w + 14 + 5 + String(s.name).length * font + 8; }, 0);
      legendLines = Math.ceil(row / Math.max(width - 24, 100));
    }
    if (many) {
      base.legend = { top: 0, itemGap: 8, itemWidth: 14, textStyle: { color: text, fontSize: font } };
    }
    // The grid holds its axis labels (ECharts 6: outerBounds), under the legend if any.
    base.grid = { left: horizontal ? 8 : leftRoom(chart, category), right: 16, top: many ? 12 + legendLines * (font + 10) : 14, bottom: 8, containLabel: true };
    base.xAxis = horizontal ? value : category;
    base.yAxis = horizontal ? category : value;
    base.series = axisSeries(chart, chart.kind === "line" ? "line" : "bar");
    return base;
  }

  var instances = [];
  data.charts.forEach(function (chart) {
    var el = document.querySelector('[data-chart="' + chart.id + '"]');
    if (!el) { return; }
    if (chart.empty) { el.setAttribute("data-empty", chart.empty); }
    var instance = echarts.getInstanceByDom(el) ||
      echarts.init(el, dark ? "dark" : null, { renderer: "canvas" });
    instance.setOption(option(chart, el.clientWidth || 320), true);
    instances.push([instance, chart, el]);
  });
  window.addEventListener("resize", function () {
    instances.forEach(function (i) {
      i[0].resize();
      i[0].setOption(option(i[1], i[2].clientWidth || 320), true);
    });
  });
})();
