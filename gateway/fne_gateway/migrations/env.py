import fne_gateway.auth.models  # noqa: F401  (registers the tables on the metadata)
import fne_gateway.mail.models  # noqa: F401
import fne_gateway.proconnect.models  # noqa: F401
from fne_gateway.database import Base
from fne_kernel.migrations import run_env

run_env(Base.metadata)
