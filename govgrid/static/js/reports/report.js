// The report page: the print button prints the A4 layout (css/reports.css @media print).
const button = document.getElementById("print-button");
if (button) button.addEventListener("click", () => window.print());

// While the report is being made, reload once it is done (or failed).
const waiting = document.querySelector(".report-waiting[data-self]");
if (waiting && ["queued", "running"].includes(waiting.dataset.status)) {
  const poll = async () => {
    try {
      const response = await fetch(waiting.dataset.self, { headers: { Accept: "application/json" } });
      if (response.ok) {
        const report = await response.json();
        if (report.status === "done" || report.status === "failed") {
          window.location.reload();
          return;
        }
      }
    } catch {
      // a network hiccup: try again
    }
    setTimeout(poll, 1500);
  };
  setTimeout(poll, 1500);
}
