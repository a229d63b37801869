"""Reference data and geography: where places are, how long travel takes, which region and sector.

Used by every layer from reading to reports, and reads no user files.
:mod:`~matcher.geo.tables` loads the vendored tables of ``data/`` (PC4 areas,
labour-market regions, places; GeoNames, see ``data/ATTRIBUTION.md``),
:mod:`~matcher.geo.catalogue` the qualification catalogue (crebo, level,
sector; see ``data/CATALOGUE_SOURCES.md``), :mod:`~matcher.geo.travel`
estimates travel times from distances, :mod:`~matcher.geo.region`
restricts an instance to one labour-market region and
:mod:`~matcher.geo.outlines` draws approximate region borders for maps.
"""
