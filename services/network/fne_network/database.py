from fne_kernel.db import KernelBase, new_metadata


class Base(KernelBase):
    __abstract__ = True
    metadata = new_metadata()
