"""Safe NRML reading (line numbers in every error) and writing."""
from oqcore.nrml.reader import NRML04, NRML05, Node, parse, parse_string  # noqa: F401
