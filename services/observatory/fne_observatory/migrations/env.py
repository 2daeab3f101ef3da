import fne_observatory.models  # noqa: F401  (registers every table on the metadata)
from fne_kernel.migrations import run_env
from fne_observatory.database import Base

run_env(Base.metadata)
