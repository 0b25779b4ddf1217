"""Assessment (考核) and the one-vote-veto ladder (通报 → 约谈 → 挂牌督办 → 一票否决): the
county's versioned scheme, indicators per unit and period, the register of major events, and
the sanctions each unit is under (DESIGN §6)."""
