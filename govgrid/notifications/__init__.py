"""In-app notifications (inboxes), delivered by jobs from the outbox."""
