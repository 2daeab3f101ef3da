import fne_network.models  # noqa: F401  (registers every table on the metadata)
from fne_kernel.migrations import run_env
from fne_network.database import Base

run_env(Base.metadata)
