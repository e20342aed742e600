"""AELO: design ground motions for one site from the global mosaic of hazard models.

``mosaic`` finds the model of a site, ``site_inputs`` checks the request, ``job`` builds
the job parameters; the numerics are in :mod:`oqcore.hazard.rtgm` and
:mod:`oqcore.hazard.asce`, the calculation in the ``aelo`` calculator plugin.
"""
