"""The ground-motion model (GSIM) library.

Every module of this package other than ``base``, ``verification`` and ``library``
holds one model family; its non-abstract :class:`~oqcore.hazard.gsim.base.GMPE`
subclasses are the built-in GSIMs, registered through the ``oq_register_gsims`` hook
by :mod:`oqcore.hazard.gsim.library`.
"""
