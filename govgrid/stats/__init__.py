"""Indicators of governance results (化解率, 按期办结率, 小事不出村 …) per unit and period,
computed in SQL from cases and their timeline; the numbers behind the consoles, dashboards
and the assessment. Definitions live in indicators.py and docs/INDICATORS.md."""
