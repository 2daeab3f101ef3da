import fne_gateway.auth.models
import fne_gateway.mail.models
import fne_gateway.proconnect.models  # noqa: F401
from fne_gateway.database import Base
from fne_kernel.migrations import run_env

run_env(Base.metadata)
