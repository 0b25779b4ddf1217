"""Uploaded files: what they are (sniff), what they are called (names) and where their bytes
live (store). Case attachments are built on these; nothing here knows about cases."""
