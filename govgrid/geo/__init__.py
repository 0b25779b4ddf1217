"""Administrative units, grid cells, point location, boundary import and export."""
