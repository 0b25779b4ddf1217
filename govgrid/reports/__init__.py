"""Monthly analysis reports (研判报告) per county and township: generated in RQ, stored,
listed and downloaded as an A4 HTML page and an xlsx appendix."""
