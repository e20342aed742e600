"""The errors of oqcore. They carry no HTTP codes: the HTTP layer maps them in one place."""


class OqcoreError(Exception):
    """Base of every oqcore error."""


class InvalidInput(OqcoreError, ValueError):
    """Bad user input: a job.ini value, an NRML file, a CSV, a request parameter.

    :param msg: what is wrong
    :param fname: the file concerned, if any
    :param lineno: the line in that file, if known
    :param param: the job parameter concerned, if any
    """

    def __init__(self, msg: str, fname: str | None = None, lineno: int | None = None,
                 param: str | None = None):
        self.msg = msg
        self.fname = fname
        self.lineno = lineno
        self.param = param
        super().__init__(str(self))

    def __str__(self):
        where = []
        if self.fname:
            where.append(str(self.fname))
        if self.lineno is not None:
            where.append("line %d" % self.lineno)
        prefix = ", ".join(where)
        if self.param:
            prefix = ("%s: " % prefix if prefix else "") + self.param
        return "%s: %s" % (prefix, self.msg) if prefix else self.msg


class NotFound(OqcoreError, LookupError):
    """A calculation, output or other object that does not exist."""


class PermissionDenied(OqcoreError):
    """The user may not do this."""


class UnknownPlugin(OqcoreError, KeyError):
    """A registry lookup failed; the message lists what is available."""

    def __init__(self, kind: str, key, available):
        self.kind = kind
        self.key = key
        self.available = sorted(map(str, available))
        super().__init__(str(self))

    def __str__(self):
        avail = ", ".join(self.available) or "(none)"
        return "Unknown %s %r; available: %s" % (self.kind, self.key, avail)


class DuplicatePlugin(OqcoreError):
    """Two plugins registered the same key."""


class PluginError(OqcoreError):
    """A plugin does not match the hookspecs or fails while registering.

    :param plugin: the plugin, as ``name (from distribution)``
    :param reason: what is wrong
    """

    def __init__(self, plugin: str, reason: str):
        self.plugin = plugin
        self.reason = reason
        super().__init__("plugin %s: %s" % (plugin, reason))
