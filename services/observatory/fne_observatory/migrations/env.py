import fne_observatory.models  # noqa: F401  (registers every table on the metadata)
from fne_observatory.database import Base
from fne_kernel.migrations import run_env

run_env(Base.metadata)
