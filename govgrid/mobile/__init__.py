"""The grid workers' mobile app (网格通): an offline-first PWA under /m/."""
