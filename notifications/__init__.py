"""Notifications: outbox dispatcher and channels (log, email, signed webhook); to come."""
