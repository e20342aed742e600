"""Built-in task executors that live outside the kernel (Dask distributed)."""
