"""Time limits (办理时限): the county's deadline policy, the working-day calendar, deadline
states, extension requests, the sweeps that remind, urge, supervise and escalate, and the
reporting clocks of urgent incidents."""
