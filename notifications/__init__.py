"""Notifications: delivery channels (log, email over SMTP, signed webhook); the outbox
dispatcher comes next."""
