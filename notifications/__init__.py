"""Notifications: the outbox dispatcher and its channels (log, email over SMTP, webhook).

Who is told what (rules in the definition, contacts, templates) comes next.
"""
