"""Seismic sources: MFDs, magnitude-scaling relations, typologies and their ruptures."""
