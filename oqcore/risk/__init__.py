"""The risk library: exposure, vulnerability, fragility and consequence models, the
taxonomy mapping, and the loss/damage kernels used by the risk calculators."""
