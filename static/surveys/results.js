// A survey's results as bar charts, one a question with counts (Chart.js, served locally).
(function () {
  "use strict";
  var data = document.getElementById("chart-data");
  if (!data || typeof Chart !== "function") return;
  JSON.parse(data.textContent).forEach(function (chart) {
    var canvas = document.getElementById(chart.id);
    if (!canvas) return;
    new Chart(canvas, {
      type: "bar",
      data: { labels: chart.labels, datasets: [{ data: chart.counts, backgroundColor: "#0a6ebd" }] },
      options: { indexAxis: "y", plugins: { legend: { display: false } }, scales: { x: { ticks: { precision: 0 } } } },
    });
  });
})();
