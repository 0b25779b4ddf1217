"""Background work on RQ: queues, the app context for jobs, and the periodic schedule.

Jobs take ids, never ORM objects, and are idempotent (DESIGN §3).
"""
