"""Package layout: the plugins/ folder is installed under the import name ``oqplugins``."""
from setuptools import find_packages, setup

packages = find_packages(include=["oqcore", "oqcore.*", "oqhttp", "oqhttp.*"])
packages += ["oqplugins"] + ["oqplugins." + p for p in find_packages("plugins")]

setup(packages=packages, package_dir={"oqplugins": "plugins"})
