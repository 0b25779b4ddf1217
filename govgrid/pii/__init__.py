"""Personal data of parties: validation, masking and encryption at rest."""
