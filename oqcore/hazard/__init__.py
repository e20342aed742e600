"""The hazard science library: IMTs, GSIMs, sources, ruptures, geometry, sites, logic trees."""
