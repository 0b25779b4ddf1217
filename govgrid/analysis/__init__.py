"""Spatial and temporal analysis of cases (研判): hot spots, trends, risk. Pure modules here
take arrays and matrices; binning and weights come from PostGIS elsewhere."""
