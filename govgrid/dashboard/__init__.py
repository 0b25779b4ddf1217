"""The county dashboard (/dashboard): indicators, charts, ranking and map layers of a unit
or grid cell for a period, for county staff and leaders and township centres."""
