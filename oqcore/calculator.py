"""What every calculator shares: the job parameters and the root attributes of the
datastore, the site collection, the task executor."""
from __future__ import annotations

import datetime
import zlib


import oqcore


def inputs_checksum(oq) -> tuple[int, int]:
    """``(checksum32, input_size)`` of a job: the adler32 checksum of its input files
    (the job.ini and the files it names) chained in path order, and their size in
    bytes; stored as datastore attributes, and used to find a job run on the same
    inputs (``GET /v1/calc/jobs_from_inis``)."""
    from oqcore.hazard.model import input_files
    files = sorted(set(input_files(oq)) | ({oq.inputs["job_ini"]}
                                           if "job_ini" in oq.inputs else set()))
    checksum = size = 0
    for f in files:
        with open(f, "rb") as fh:
            data = fh.read()
        checksum = zlib.adler32(data, checksum)
        size += len(data)
    return checksum, size


class BaseCalculator:
    """Base class for calculator plugins: ``run()`` = pre_execute, execute, post_execute.

    :param job: the :class:`oqcore.jobs.runner.JobContext` given by the runner
    """

    def __init__(self, job):
        self.job = job
        self.oq = job.params
        self.datastore = job.datastore
        self.log = job.log
        self._task_records: list = []

    def run(self) -> None:
        """Run the calculation, writing its datasets into the datastore."""
        self.save_root_attrs()
        self.pre_execute()
        result = self.execute()
        self.post_execute(result)
        self.save_task_info()

    def pre_execute(self) -> None:
        """Read and validate the inputs."""

    def execute(self):
        """The main computation."""

    def post_execute(self, result) -> None:
        """Statistics, derived outputs."""

    # -------------------------------------------------------------- helpers
    def save_root_attrs(self) -> None:
        """engine_version, date, checksum32, input_size, and the job parameters."""
        checksum, size = inputs_checksum(self.oq)
        attrs = self.datastore.attrs
        attrs["engine_version"] = oqcore.ENGINE_VERSION
        attrs["oqcore_version"] = oqcore.__version__
        attrs["date"] = datetime.datetime.now().replace(microsecond=0).isoformat()
        attrs["checksum32"] = checksum
        attrs["input_size"] = size
        self.datastore.save_json("oqparam", self.oq.to_dict(), "JobParams")

    def save_sitecol(self, sitecol) -> None:
        """Store the site collection as a structured dataset ``sitecol``."""
        self.datastore["sitecol"] = sitecol.array

    def map(self, func, args):
        """Run ``func(*a)`` for each tuple in ``args`` through the executor, yielding the
        results in order; the progress goes to the job log (at least every 10 % of the
        tasks or 10 s) and each task's duration to ``task_info``."""
        from oqcore.progress import track
        if "_task_records" not in self.__dict__:  # a subclass skipped __init__
            self._task_records = []
        return track(self.job.executor, func, args, self.log, self._task_records)

    def save_task_info(self) -> None:
        """Store ``task_info`` (taskname, task_no, weight, duration s, received bytes,
        mem_gb) for the tasks run through :meth:`map`."""
        from oqcore.progress import task_info_array
        if self.__dict__.get("_task_records") and "task_info" not in self.datastore.hdf5:
            self.datastore["task_info"] = task_info_array(self._task_records)
