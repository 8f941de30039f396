"""Notifications: delivery channels (log, email over SMTP, signed webhook).

The outbox dispatcher that uses them comes next.
"""
