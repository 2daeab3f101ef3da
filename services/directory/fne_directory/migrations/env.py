from fne_directory.database import Base
from fne_kernel.migrations import run_env

run_env(Base.metadata)
