// The dashboard's charts, drawn from the figures the page embeds (Chart.js, served locally).
(function () {
  const data = JSON.parse(document.getElementById("chart-data").textContent);
  const brand = getComputedStyle(document.body).getPropertyValue("--brand").trim() || "#c8161d";
  new Chart(document.getElementById("trend"), {
    type: "line",
    data: {
      labels: data.days,
      datasets: [
        { label: "提问", data: data.asked, borderColor: brand, tension: 0.2 },
        { label: "答复", data: data.answered, borderColor: "#1a7f37", tension: 0.2 },
        { label: "有效访问", data: data.visits, borderColor: "#9a6700", tension: 0.2, yAxisID: "visits" },
      ],
    },
    options: {
      animation: false,
      scales: { y: { beginAtZero: true }, visits: { position: "right", beginAtZero: true, grid: { drawOnChartArea: false } } },
    },
  });
  new Chart(document.getElementById("categories"), {
    type: "bar",
    data: { labels: data.categories, datasets: [{ label: "提问", data: data.by_category, backgroundColor: brand }] },
    options: { animation: false, indexAxis: "y", plugins: { legend: { display: false } } },
  });
})();
