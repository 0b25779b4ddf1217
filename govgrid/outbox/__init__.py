"""The transactional outbox: messages written with the change that caused them, relayed to
RQ afterwards, so Redis being down delays work and never loses it."""
