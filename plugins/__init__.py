"""The built-in plugins of oqcore, installed as ``oqplugins`` and declared as entry points."""
