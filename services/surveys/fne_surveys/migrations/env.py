import fne_surveys.models  # noqa: F401  (registers every table on the metadata)
from fne_kernel.migrations import run_env
from fne_surveys.database import Base

run_env(Base.metadata)
