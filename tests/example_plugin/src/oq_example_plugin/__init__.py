"""oq_example_plugin: an example third-party plugin for oqcore.

Declared in the ``oqcore`` entry-point group of its distribution (``oq-example-plugin``)
as ``example = "oq_example_plugin.plugin"``; it adds

- the calculator ``calculation_mode = example_sum`` (job.ini parameters
  ``example_values`` and ``example_scale``), which writes the dataset ``example_sum``;
- the exporter of the output kind ``example_sum`` in the ``csv`` format;
- the extract spec ``example_sum`` (``example_sum?scale=2``);
- the GSIM ``ExampleConstantGMPE`` (a constant median, arguments ``median`` in g and
  ``sigma`` in natural-log units).
"""

__version__ = "0.1.0"
