import fne_gateway.auth.models  # noqa: F401  (registers the tables on the metadata)
from fne_gateway.database import Base
from fne_kernel.migrations import run_env

run_env(Base.metadata)
